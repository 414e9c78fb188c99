package dev.tenantkit.metering;

import java.util.List;

/**
 * The built-in meters: what the original platform tracked. Hosts add their own with {@link
 * MeterCatalog.Builder#add(MeterDefinition)}.
 */
public final class Meters {
  /** Every API call: dimensions endpoint (route template), method, status, error_type. */
  public static final MeterDefinition API_CALLS =
      MeterDefinition.builder("api_calls")
          .unit("calls")
          .aggregation(Aggregation.COUNT)
          .dimensions("endpoint", "method", "status", "error_type")
          .durability(Durability.BUFFERED)
          .build();

  /** Files uploaded. */
  public static final MeterDefinition FILES_UPLOADED =
      MeterDefinition.builder("files_uploaded").unit("files").dimensions("type").build();

  /** Files processed. */
  public static final MeterDefinition FILES_PROCESSED =
      MeterDefinition.builder("files_processed").unit("files").dimensions("type").build();

  /** Bytes stored: positive on upload, negative on delete. */
  public static final MeterDefinition STORAGE_BYTES =
      MeterDefinition.builder("storage_bytes").unit("bytes").allowNegative().build();

  /** Model tokens used. */
  public static final MeterDefinition TOKENS =
      MeterDefinition.builder("tokens").unit("tokens").dimensions("model").build();

  /** Embeddings computed. */
  public static final MeterDefinition EMBEDDINGS =
      MeterDefinition.builder("embeddings").unit("embeddings").dimensions("model").build();

  /** Failed API calls: dimensions endpoint, status, error_type. */
  public static final MeterDefinition ERRORS =
      MeterDefinition.builder("errors")
          .unit("errors")
          .aggregation(Aggregation.COUNT)
          .dimensions("endpoint", "status", "error_type")
          .durability(Durability.BUFFERED)
          .build();

  /** Request latency in milliseconds, with percentiles; dimension endpoint. */
  public static final MeterDefinition REQUEST_LATENCY =
      MeterDefinition.builder("request_latency")
          .unit("ms")
          .aggregation(Aggregation.MAX)
          .dimensions("endpoint")
          .distribution()
          .durability(Durability.BUFFERED)
          .build();

  /** All of the above. */
  public static final List<MeterDefinition> BUILT_INS =
      List.of(
          API_CALLS,
          FILES_UPLOADED,
          FILES_PROCESSED,
          STORAGE_BYTES,
          TOKENS,
          EMBEDDINGS,
          ERRORS,
          REQUEST_LATENCY);

  private Meters() {}
}
