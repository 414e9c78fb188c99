package dev.tenantkit.benchmarks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSlowerTimeWithinTheRoundsSpreadIsNoise() throws Exception {
    // A's rounds are 10% apart; B is 4.8% slower than A's median: noise.
    String table = print(row("ns/op", List.of(100.0, 110.0), List.of(110.25, 110.25)));

    assertThat(table).contains("| -4.8% | 10.0% | 2/2 | within noise or better |");
  }

  @Test
  void aSlowerTimeBeyondTheSpreadIsARegression() throws Exception {
    String table = print(row("ns/op", List.of(100.0, 102.0), List.of(130.0, 131.0)));

    assertThat(table).contains("slower by more than the noise");
  }

  @Test
  void moreThroughputIsBetter() throws Exception {
    String table = print(row("ops/s", List.of(1000.0, 1000.0), List.of(1200.0, 1200.0)));

    assertThat(table).contains("| +20.0% | 0.0% | 2/2 | within noise or better |");
  }

  @Test
  void aBenchmarkOnlyOneBuildRanIsLeftOut() throws Exception {
    String table = print(row("ops/s", List.of(1000.0), List.of()));

    assertThat(table).doesNotContain("QuotaLocal1Thread");
  }

  private static AbTable.Row row(String unit, List<Double> a, List<Double> b) throws Exception {
    String json =
        "{\"benchmark\":\"dev.tenantkit.benchmarks.QuotaLocal1Thread.tenantkitRate\","
            + "\"primaryMetric\":{\"score\":1,\"scoreError\":0,\"scoreUnit\":\""
            + unit
            + "\"}}";
    AbTable.Row row =
        new AbTable.Row(ResultsTable.Result.of(JSON.readTree(json), 0), new ArrayList<>(a));
    row.b.addAll(b);
    return row;
  }

  private static String print(AbTable.Row row) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AbTable.print(List.of(row), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
