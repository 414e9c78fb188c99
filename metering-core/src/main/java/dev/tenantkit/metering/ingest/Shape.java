package dev.tenantkit.metering.ingest;

/** What a request body holds, as its media type says. */
public enum Shape {
  /** One event as a JSON object: {@code application/cloudevents+json}. */
  SINGLE,
  /** A JSON array of events: {@code application/cloudevents-batch+json}. */
  BATCH,
  /** Either, told apart by the JSON: an object is one event, an array a batch. */
  EITHER
}
