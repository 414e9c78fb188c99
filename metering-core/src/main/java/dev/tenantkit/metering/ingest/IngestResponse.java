package dev.tenantkit.metering.ingest;

import java.util.List;

/**
 * The answer to one ingestion request: a result per event, in the order sent. Immutable.
 *
 * @param batch whether the request was a batch (a JSON array), even of one event
 * @param results one per event, in order
 */
public record IngestResponse(boolean batch, List<EventResult> results) {

  /** Copies the results. */
  public IngestResponse {
    results = List.copyOf(results);
  }

  /** How many events have {@code status}. */
  public int count(EventResult.Status status) {
    int n = 0;
    for (EventResult r : results) {
      if (r.status() == status) {
        n++;
      }
    }
    return n;
  }
}
