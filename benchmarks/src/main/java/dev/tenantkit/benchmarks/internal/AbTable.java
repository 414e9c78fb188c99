package dev.tenantkit.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two builds of the same benchmarks, measured interleaved (A, B, A, B) by {@code
 * benchmarks/run-ab.sh}: for each benchmark the median score of each build, the change from A to B
 * in the direction that is better (less time, more throughput), and the run-to-run noise, the
 * larger spread between one build's own rounds. A change is a regression only when B is worse than
 * A by more than that noise: on a shared two-core machine the same build moves by 10% and more from
 * one round to the next, so a single pair of runs cannot tell a slower build from a slower minute.
 *
 * <p>Arguments are JMH JSON result files ({@code -rf json}), each prefixed with its build: {@code
 * A=path} or {@code B=path}. Stateless.
 */
public final class AbTable {
  private AbTable() {}

  /**
   * Prints the Markdown table for the result files given as {@code A=path} and {@code B=path}.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if an argument names neither build
   */
  public static void main(String[] args) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String arg : args) {
      boolean a = arg.startsWith("A=");
      if (!a && !arg.startsWith("B=")) {
        throw new IllegalArgumentException("expected A=<file> or B=<file>, got " + arg);
      }
      for (JsonNode n : mapper.readTree(Path.of(arg.substring(2)).toFile())) {
        ResultsTable.Result r = ResultsTable.Result.of(n, 0);
        Row row =
            rows.computeIfAbsent(
                r.className + " " + r.method + " " + r.params, k -> new Row(r, new ArrayList<>()));
        (a ? row.a : row.b).add(r.score);
      }
    }
    print(rows.values(), System.out);
  }

  /** One benchmark's scores: its first result (for names and unit), then each build's rounds. */
  static final class Row {
    final ResultsTable.Result first;
    final List<Double> a;
    final List<Double> b = new ArrayList<>();

    Row(ResultsTable.Result first, List<Double> a) {
      this.first = first;
      this.a = a;
    }
  }

  static void print(Iterable<Row> rows, PrintStream out) {
    out.println(
        "| Benchmark | Method | Params | A (median) | B (median) | B better by | Noise | Rounds"
            + " A/B | Verdict |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Row row : rows) {
      if (row.a.isEmpty() || row.b.isEmpty()) {
        continue;
      }
      double a = median(row.a);
      double b = median(row.b);
      // Time per operation: less is better; throughput: more is better.
      boolean timeUnit = row.first.unit.endsWith("/op");
      double better = timeUnit ? a / b - 1 : b / a - 1;
      double noise = Math.max(spread(row.a), spread(row.b));
      String verdict =
          better >= -noise ? "within noise or better" : "slower by more than the noise";
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.4g %s | %.4g %s | %+.1f%% | %.1f%% | %d/%d | %s |%n",
          row.first.className,
          row.first.method,
          row.first.params,
          a,
          row.first.unit,
          b,
          row.first.unit,
          better * 100,
          noise * 100,
          row.a.size(),
          row.b.size(),
          verdict);
    }
  }

  /** How far one build's rounds are apart: largest over smallest, minus one; 0 for one round. */
  static double spread(List<Double> scores) {
    double min = scores.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = scores.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return min <= 0 ? 0 : max / min - 1;
  }

  static double median(List<Double> scores) {
    return ResultsTable.median(scores.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }
}
