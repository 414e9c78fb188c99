package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.internal.Json;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * One tenant's events of a batch for the PostgreSQL statements: each key once (a repeat inside the
 * batch is settled against its first occurrence, which alone is sent), as one array per column, and
 * their recording instant, once if they share it.
 */
final class TenantRows {
  // The events travel as one array per column (a fixed number of parameters whatever the batch
  // size), sent in binary so the server does not parse array literals.
  private static final String[] ARRAY_PARAMETERS = {
    "keys",
    "hashes",
    "meters",
    "timestamps",
    "quantities",
    "dimensions",
    "properties",
    "users",
    "sources"
  };

  final List<NewEvent> events;
  final List<Integer> distinct;
  private final List<Integer> repeats = new ArrayList<>();
  private final Map<String, Integer> firstOf = new HashMap<>();
  private final String[][] columns;
  private final String oneRecordedAt;
  private final String[] recordedAt;

  TenantRows(List<Integer> indexes, List<NewEvent> events) {
    this.events = events;
    this.distinct = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      if (firstOf.putIfAbsent(events.get(i).event().idempotencyKey(), i) == null) {
        distinct.add(i);
      } else {
        repeats.add(i);
      }
    }
    int n = distinct.size();
    columns = new String[ARRAY_PARAMETERS.length][n];
    String[] recorded = new String[n];
    Instant lastRecorded = null;
    boolean oneInstant = true;
    for (int j = 0; j < n; j++) {
      NewEvent ne = events.get(distinct.get(j));
      UsageEvent e = ne.event();
      // A batch is usually recorded at one instant: format it once.
      if (!ne.recordedAt().equals(lastRecorded)) {
        oneInstant &= lastRecorded == null;
        lastRecorded = ne.recordedAt();
        recorded[j] = lastRecorded.toString();
      } else {
        recorded[j] = recorded[j - 1];
      }
      columns[0][j] = e.idempotencyKey();
      columns[1][j] = ne.payloadHash();
      columns[2][j] = e.meter();
      columns[3][j] = e.timestamp().toString();
      columns[4][j] = e.quantity().toPlainString();
      columns[5][j] = json(e.dimensions());
      columns[6][j] = json(e.properties());
      columns[7][j] = e.userId();
      columns[8][j] = e.source();
    }
    this.oneRecordedAt = oneInstant && n > 0 ? recorded[0] : null;
    this.recordedAt = oneRecordedAt == null ? recorded : null;
  }

  /** Whether the events share one recording instant, bound as one parameter. */
  boolean oneInstant() {
    return oneRecordedAt != null;
  }

  /** Binds the tenant, the arrays (in binary) and the recording instant or instants. */
  <S extends SqlStatement<S>> S bind(S statement, TenantId tenant) {
    statement.bind("tenant", tenant.value());
    for (int c = 0; c < ARRAY_PARAMETERS.length; c++) {
      statement.bind(ARRAY_PARAMETERS[c], binaryArray(columns[c]));
    }
    return oneInstant()
        ? statement.bind("recorded", oneRecordedAt)
        : statement.bind("recorded", binaryArray(recordedAt));
  }

  /**
   * A {@code varchar[]} parameter that the PostgreSQL driver sends in binary (it does so for a
   * {@code String[]} given to {@code setObject}), rather than as an array literal that the server
   * parses character by character.
   */
  private static Argument binaryArray(String[] values) {
    return (position, statement, ctx) -> statement.setObject(position, values);
  }

  /** Settles the repeats once the first occurrences have their results. */
  void settleRepeats(AppendResult[] results) {
    for (int i : repeats) {
      int first = firstOf.get(events.get(i).event().idempotencyKey());
      String hash =
          results[first].inserted() ? events.get(first).payloadHash() : results[first].storedHash();
      results[i] = AppendResult.keyTaken(hash);
    }
  }

  private static String json(Map<String, String> map) {
    return map.isEmpty() ? "{}" : Json.write(map);
  }
}
