package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void cellsThatASpreadsheetWouldRunAreDefused() {
    for (String danger : new String[] {"=1+1", "+1", "-1+2", "@A1", "\tx", "\rx"}) {
      assertThat(Csv.defuse(danger)).isEqualTo("'" + danger);
    }
    assertThat(Csv.defuse("plain")).isEqualTo("plain");
    assertThat(Csv.defuse("")).isEmpty();
    assertThat(Csv.defuse("a=1")).isEqualTo("a=1");
  }

  @Test
  void rowsFollowRfc4180() throws Exception {
    StringWriter out = new StringWriter();
    Csv csv = new Csv(out);
    csv.row("a,b", "say \"hi\"", "two\nlines", null, 42L, new BigDecimal("-1.5"), "\rcr");
    assertThat(out.toString())
        .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,42,-1.5,\"'\rcr\"\r\n");
  }
}
