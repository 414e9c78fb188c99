package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;

/**
 * The raw-event listings of {@link DefaultUsageQueries}: pages behind an opaque cursor, and the CSV
 * export, both newest first by event id and read in bounded pages so an export never holds more
 * than one page. Stateless; thread-safe.
 */
final class EventPages {
  static final int MAX_PAGE = 1_000;
  static final int MAX_EXPORT_ROWS = 1_000_000;
  private static final int EXPORT_PAGE = 500;

  private final UsageStore store;

  EventPages(UsageStore store) {
    this.store = store;
  }

  /** A page of the tenant's events, newest first; {@code f} is checked against the catalog. */
  Page<RecordedEvent> page(TenantId tenantId, EventFilter f, String cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidInputException("limit", "limit must be 1 to " + MAX_PAGE);
    }
    long before = cursor == null ? Long.MAX_VALUE : Cursors.decode(tenantId, f, cursor);
    List<RecordedEvent> rows = store.events(tenantId, f, before, limit + 1);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<RecordedEvent> page = rows.subList(0, limit);
    return new Page<>(page, Cursors.encode(tenantId, f, page.get(limit - 1).id()));
  }

  /** Writes the tenant's events as CSV, newest first, at most {@code rowLimit} rows. */
  long exportCsv(TenantId tenantId, EventFilter f, Writer out, int rowLimit) {
    Objects.requireNonNull(out, "out");
    if (rowLimit < 1 || rowLimit > MAX_EXPORT_ROWS) {
      throw new InvalidInputException("rowLimit", "rowLimit must be 1 to " + MAX_EXPORT_ROWS);
    }
    Csv csv = new Csv(out);
    long written = 0;
    try {
      csv.row(
          "id",
          "recorded_at",
          "timestamp",
          "meter",
          "quantity",
          "idempotency_key",
          "user_id",
          "source",
          "dimensions",
          "properties");
      long before = Long.MAX_VALUE;
      while (written < rowLimit) {
        int n = (int) Math.min(EXPORT_PAGE, rowLimit - written);
        List<RecordedEvent> rows = store.events(tenantId, f, before, n);
        for (RecordedEvent r : rows) {
          UsageEvent e = r.event();
          csv.row(
              r.id(),
              r.recordedAt().toString(),
              e.timestamp().toString(),
              e.meter(),
              e.quantity(),
              e.idempotencyKey(),
              e.userId(),
              e.source(),
              Json.write(e.dimensions()),
              Json.write(e.properties()));
          before = r.id();
        }
        written += rows.size();
        if (rows.size() < n) {
          break;
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return written;
  }
}
