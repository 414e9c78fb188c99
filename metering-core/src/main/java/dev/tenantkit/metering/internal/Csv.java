package dev.tenantkit.metering.internal;

import java.io.IOException;
import java.io.Writer;

/**
 * RFC 4180 CSV output, safe to open in a spreadsheet: a text cell starting with {@code = + - @}, a
 * tab or a carriage return is prefixed with {@code '} so it is shown, not run as a formula (OWASP
 * "CSV injection"). Numbers the library writes itself are never prefixed.
 */
final class Csv {
  private final Writer out;

  Csv(Writer out) {
    this.out = out;
  }

  void row(Object... cells) throws IOException {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      Object cell = cells[i];
      if (cell instanceof Number) {
        out.write(cell.toString());
      } else if (cell != null) {
        out.write(quote(defuse(cell.toString())));
      }
    }
    out.write("\r\n");
  }

  static String defuse(String text) {
    if (text.isEmpty()) {
      return text;
    }
    char c = text.charAt(0);
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
      return "'" + text;
    }
    return text;
  }

  static String quote(String text) {
    boolean needs = false;
    for (int i = 0; i < text.length() && !needs; i++) {
      char c = text.charAt(i);
      needs = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return needs ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
