package dev.tenantkit.benchmarks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ratioIsTheMedianOfRatiosTakenWithinEachRound() throws Exception {
    // Round 2 is slower for both: paired per round, its ratio is as good as the others'.
    List<ResultsTable.Result> results = new ArrayList<>();
    double[][] rounds = {{30_000, 20_000}, {15_000, 10_000}, {26_000, 20_000}};
    for (int r = 0; r < rounds.length; r++) {
      results.add(result("tenantkitAllowance", rounds[r][0], r));
      results.add(result("bucket4jSelectForUpdate", rounds[r][1], r));
    }

    String table = print(results);

    assertThat(table)
        .contains(
            "| QuotaPostgres | {keys=distinct} | tenantkitAllowance: 2.600e+04 ops/s"
                + " | bucket4jSelectForUpdate: 2.000e+04 ops/s | 1.50 (1.30 to 1.50) | 3 | >= 1.5"
                + " | yes |");
  }

  @Test
  void aSingleRoundShowsItsScoresWithTheirErrors() throws Exception {
    String table =
        print(
            List.of(
                result("tenantkitAllowance", 27_000, 0),
                result("bucket4jSelectForUpdate", 20_000, 0)));

    assertThat(table).contains("| 1.35 | 1 | >= 1.5 | no |").contains("2.700e+04 ± 100 ops/s");
  }

  @Test
  void resultsOfDifferentRoundsAreNeverPaired() throws Exception {
    String table =
        print(
            List.of(
                result("tenantkitAllowance", 27_000, 0),
                result("bucket4jSelectForUpdate", 20_000, 1)));

    assertThat(table).doesNotContain("tenantkitAllowance:");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(ResultsTable.median(new double[] {1, 2, 4, 8})).isEqualTo(3);
    assertThat(ResultsTable.median(new double[] {5})).isEqualTo(5);
  }

  private static ResultsTable.Result result(String method, double score, int round)
      throws Exception {
    String json =
        "{\"benchmark\": \"dev.tenantkit.benchmarks.QuotaPostgres."
            + method
            + "\", \"params\": {\"keys\": \"distinct\"}, \"primaryMetric\": {\"score\": "
            + score
            + ", \"scoreError\": 100.0, \"scoreUnit\": \"ops/s\"}}";
    return ResultsTable.Result.of(JSON.readTree(json), round);
  }

  private static String print(List<ResultsTable.Result> results) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsTable.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
