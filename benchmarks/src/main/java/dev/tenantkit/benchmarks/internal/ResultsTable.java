package dev.tenantkit.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON result files ({@code -rf json}) into the Markdown tables of {@code
 * docs/performance.md}: Tenantkit and its peer side by side, the ratio, and whether the issue's
 * target is met. Run it with the result files as arguments:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.tenantkit.benchmarks.internal.ResultsTable \
 *     benchmarks/target/results/*.json
 * }</pre>
 *
 * <p>Each file is one round. A ratio is taken only between a Tenantkit result and its peer's from
 * the same file (the same JMH run, minutes apart), and when several rounds measured a pair the
 * table gives the median of the per-round ratios with their range: on a shared two-core machine the
 * scores of one run drift by 10 to 30%, and a pair measured side by side drifts together more than
 * either does alone. Scores shown are the medians over the rounds.
 *
 * <p>Stateless; not thread-safe only in that it prints to one stream.
 */
public final class ResultsTable {
  /**
   * One row of a table: Tenantkit's method against a peer's, in the benchmark classes whose simple
   * name starts with {@code classPrefix}.
   *
   * @param target the ratio the issue asks for, or {@code NaN} for none
   * @param atMost whether the ratio must be at most the target (else at least)
   */
  private record Pair(
      String classPrefix, String tenantkit, String peer, double target, boolean atMost) {}

  private static final List<Pair> PAIRS =
      List.of(
          new Pair("QuotaLocal", "tenantkitAllowance", "bucket4jAllowance", 0.8, true),
          new Pair("QuotaLocal", "tenantkitAllowance", "bucket4jAllowanceByTenant", 0.8, true),
          new Pair("QuotaLocal", "tenantkitRate", "bucket4jRate", 0.8, true),
          new Pair("QuotaLocal", "tenantkitRate", "bucket4jRateByTenant", 0.8, true),
          new Pair("QuotaPostgres", "tenantkitAllowance", "bucket4jSelectForUpdate", 1.5, false),
          new Pair("QuotaPostgres", "tenantkitRate", "bucket4jSelectForUpdate", 1.5, false),
          new Pair(
              "QuotaPostgres", "tenantkitAllowanceLeased", "bucket4jSelectForUpdate", 10, false),
          new Pair("QuotaPostgres", "tenantkitRate", "bucket4jAdvisoryLock", 1.5, false),
          new Pair(
              "QuotaPostgres",
              "tenantkitAllowance",
              "bucket4jSelectForUpdateBatching",
              Double.NaN,
              false),
          new Pair(
              "QuotaPostgres",
              "tenantkitRate",
              "bucket4jSelectForUpdateBatching",
              Double.NaN,
              false),
          new Pair("IngestBulkPostgres", "tenantkitRecordAll", "copy", 0.5, false),
          new Pair("UsageMonthTotal", "tenantkitTotal", "sqlSumOverRawEvents", Double.NaN, true));

  private ResultsTable() {}

  /**
   * Prints the tables for the given JMH JSON files, one round each, to standard output.
   *
   * @throws IOException if a file cannot be read or is not JMH JSON
   */
  public static void main(String[] args) throws IOException {
    List<Result> results = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    for (int round = 0; round < args.length; round++) {
      for (JsonNode n : mapper.readTree(Path.of(args[round]).toFile())) {
        results.add(Result.of(n, round));
      }
    }
    print(results, System.out);
  }

  /** Prints both tables for {@code results}, whose rounds are their files' indexes. */
  static void print(List<Result> results, PrintStream out) {
    out.println("| Benchmark | Params | Tenantkit | Peer | Ratio | Rounds | Target | Met |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Pair p : PAIRS) {
      Map<String, List<Result[]>> byRow = new LinkedHashMap<>();
      for (Result tk : results) {
        if (!tk.className.startsWith(p.classPrefix) || !tk.method.equals(p.tenantkit)) {
          continue;
        }
        for (Result peer : results) {
          if (peer.round == tk.round
              && peer.className.equals(tk.className)
              && peer.method.equals(p.peer)
              && peer.params.equals(tk.params)) {
            byRow
                .computeIfAbsent(tk.className + " " + tk.params, k -> new ArrayList<>())
                .add(new Result[] {tk, peer});
          }
        }
      }
      byRow.values().forEach(rounds -> printRow(p, rounds, out));
    }
    out.println();
    out.println("| Benchmark | Method | Params | Round | Score |");
    out.println("| --- | --- | --- | --- | --- |");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %d | %s |%n",
          r.className,
          r.method,
          r.params,
          r.round + 1,
          r.formatted());
    }
  }

  /** One pair's row: medians over its rounds, each round a Tenantkit result and its peer's. */
  private static void printRow(Pair p, List<Result[]> rounds, PrintStream out) {
    double[] ratios = rounds.stream().mapToDouble(r -> r[0].score / r[1].score).sorted().toArray();
    double ratio = median(ratios);
    Result tk = rounds.get(0)[0];
    Result peer = rounds.get(0)[1];
    boolean hasTarget = !Double.isNaN(p.target);
    boolean met = p.atMost ? ratio <= p.target : ratio >= p.target;
    out.printf(
        Locale.ROOT,
        "| %s | %s | %s: %s | %s: %s | %s | %d | %s | %s |%n",
        tk.className,
        tk.params,
        p.tenantkit,
        rounds.size() == 1 ? tk.formatted() : median(rounds, 0) + " " + tk.unit,
        p.peer,
        rounds.size() == 1 ? peer.formatted() : median(rounds, 1) + " " + peer.unit,
        rounds.size() == 1
            ? String.format(Locale.ROOT, "%.3g", ratio)
            : String.format(
                Locale.ROOT, "%.3g (%.3g to %.3g)", ratio, ratios[0], ratios[ratios.length - 1]),
        rounds.size(),
        hasTarget ? (p.atMost ? "<= " : ">= ") + p.target : "-",
        hasTarget ? (met ? "yes" : "no") : "-");
  }

  private static String median(List<Result[]> rounds, int side) {
    double[] scores = rounds.stream().mapToDouble(r -> r[side].score).sorted().toArray();
    return String.format(Locale.ROOT, "%.4g", median(scores));
  }

  /** The median of sorted {@code values}: the middle one, or the mean of the middle two. */
  static double median(double[] values) {
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** One JMH result: class, method, parameters, score with its 99.9% error, unit. */
  static final class Result {
    final String className;
    final String method;
    final String params;
    final double score;
    final double error;
    final String unit;
    final int round;

    private Result(
        String className,
        String method,
        String params,
        double score,
        double error,
        String unit,
        int round) {
      this.className = className;
      this.method = method;
      this.params = params;
      this.score = score;
      this.error = error;
      this.unit = unit;
      this.round = round;
    }

    static Result of(JsonNode n, int round) {
      String name = n.get("benchmark").asText();
      int dot = name.lastIndexOf('.');
      String owner = name.substring(0, dot);
      Map<String, String> params = new TreeMap<>();
      JsonNode p = n.get("params");
      if (p != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          params.put(e.getKey(), e.getValue().asText());
        }
      }
      JsonNode m = n.get("primaryMetric");
      return new Result(
          owner.substring(owner.lastIndexOf('.') + 1),
          name.substring(dot + 1),
          params.isEmpty() ? "-" : params.toString(),
          m.get("score").asDouble(),
          m.get("scoreError").asDouble(),
          m.get("scoreUnit").asText(),
          round);
    }

    String formatted() {
      String e = Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %.3g", error);
      return String.format(Locale.ROOT, "%.4g%s %s", score, e, unit);
    }
  }
}
