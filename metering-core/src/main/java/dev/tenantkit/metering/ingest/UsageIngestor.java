package dev.tenantkit.metering.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Usage ingestion for services outside the JVM: maps CloudEvents (JSON format, spec version 1.0) to
 * {@link UsageEvent}s of one tenant and records them with {@link UsageMeter#recordAll}, answering
 * per event. Framework-neutral; the servlet adapter serves it as {@code POST /api/events}.
 *
 * <pre>{@code
 * UsageIngestor ingestor = UsageIngestor.builder(metering).build();
 * IngestResponse answer = ingestor.ingest(TenantId.of("acme"), body, Shape.EITHER);
 * }</pre>
 *
 * <p>Mapping (details in {@code docs/metering.md}): {@code type} is the meter, {@code source} and
 * {@code id} make the idempotency key, {@code time} (RFC 3339) the timestamp (absent: now), {@code
 * subject} if present must be the tenant's id, and {@code data.quantity} (absent: 1), {@code
 * data.dimensions}, {@code data.userId} and {@code data.properties} the rest, unless the meter
 * names JSON paths ({@link MeterDefinition#valuePath()}, {@link MeterDefinition#dimensionPaths()}).
 * A bad event never stops the good ones; durability is the meter's ({@link
 * dev.tenantkit.metering.Durability}).
 *
 * <p>Thread-safe; one per application.
 */
public final class UsageIngestor {
  /** The most events one request may hold. */
  public static final int MAX_EVENTS = 1_000;

  /** The largest request body, in bytes: 1 MiB. */
  public static final int MAX_BYTES = 1 << 20;

  /** The most levels of nesting a body may have. */
  public static final int MAX_DEPTH = 64;

  /**
   * The rejection code of an event whose {@code subject} is not the tenant of the credential: a
   * caller can write only its own usage.
   */
  public static final String SUBJECT_MISMATCH = "subject-mismatch";

  /**
   * The rejection code of an event for a meter of the catalog that may not be written over HTTP
   * ({@link Builder#ingestibleMeters}): the host records it itself.
   */
  public static final String METER_NOT_INGESTIBLE = "meter-not-ingestible";

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final UsageMeter meter;
  private final CloudEventMapper mapper;
  private final IngestMetrics metrics;

  private UsageIngestor(Builder b) {
    this.meter = b.meter;
    this.mapper = new CloudEventMapper(b.catalog, b.ingestible());
    this.metrics = new IngestMetrics(b.meterRegistry);
  }

  /** A builder over metering's meter and catalog. */
  public static Builder builder(Metering metering) {
    return builder(metering.usageMeter(), metering.catalog());
  }

  /**
   * A builder over {@code meter}; {@code catalog} must be the catalog the meter was built with,
   * since it tells the meters' JSON paths.
   */
  public static Builder builder(UsageMeter meter, MeterCatalog catalog) {
    return new Builder(meter, catalog);
  }

  /**
   * Ingests the events of {@code body} for {@code tenant}. Events are mapped and checked in full
   * before any is recorded, so a request refused as a whole records nothing.
   *
   * @param tenant the tenant of the caller's credential; every event is recorded for it
   * @param body a JSON object (one event) or array (a batch), UTF-8
   * @param shape what the media type said the body holds
   * @return a result per event; also for rejected ones
   * @throws InvalidInputException with field {@code body} if the body is not JSON, or not of the
   *     shape its media type says
   * @throws IngestLimitException if the body is larger than {@link #MAX_BYTES} or holds more than
   *     {@link #MAX_EVENTS} events
   * @throws IllegalStateException if the usage meter is closed
   */
  public IngestResponse ingest(TenantId tenant, byte[] body, Shape shape) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(shape, "shape");
    if (body.length > MAX_BYTES) {
      throw new IngestLimitException("the body must be at most " + MAX_BYTES + " bytes");
    }
    JsonNode root = parse(body);
    boolean batch = root.isArray();
    if (batch && shape == Shape.SINGLE) {
      throw new InvalidInputException(
          "body",
          "must be one event (a JSON object) for application/cloudevents+json; send a batch as"
              + " application/cloudevents-batch+json");
    }
    if (!batch && (shape == Shape.BATCH || !root.isObject())) {
      throw new InvalidInputException(
          "body",
          shape == Shape.BATCH
              ? "must be a JSON array of events for application/cloudevents-batch+json"
              : "must be an event (a JSON object) or a batch (a JSON array)");
    }
    if (batch && root.size() > MAX_EVENTS) {
      throw new IngestLimitException(
          "a batch holds at most " + MAX_EVENTS + " events, this one " + root.size());
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (batch) {
      root.forEach(nodes::add);
    } else {
      nodes.add(root);
    }
    EventResult[] results = new EventResult[nodes.size()];
    List<CloudEventMapper.Mapped> mapped = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      CloudEventMapper.Mapped m = mapper.map(nodes.get(i), i, tenant);
      if (m.rejection() != null) {
        results[i] = m.rejection();
      } else {
        mapped.add(m);
        at.add(i);
      }
    }
    if (!mapped.isEmpty()) {
      List<RecordOutcome> outcomes =
          meter.recordAll(mapped.stream().map(CloudEventMapper.Mapped::event).toList());
      for (int k = 0; k < outcomes.size(); k++) {
        results[at.get(k)] = OutcomeMapping.of(at.get(k), mapped.get(k), outcomes.get(k));
      }
    }
    for (EventResult r : results) {
      metrics.count(r);
    }
    return new IngestResponse(batch, List.of(results));
  }

  /**
   * Counts a request that was refused as a whole (no event was looked at, or the body as a whole
   * was refused) under {@code tenantkit.usage.ingest.requests.refused}, tagged with the problem's
   * {@code code}. For the adapter that serves the ingestor, which sees every refusal: its own (a
   * missing credential or scope, a wrong media type) and the {@link InvalidInputException}s and
   * {@link IngestLimitException}s of {@link #ingest}, which does not count them itself.
   *
   * @param code the stable code of the problem answered, such as {@code unsupported-media-type}
   */
  public void countRefusal(String code) {
    metrics.refused(Objects.requireNonNull(code, "code"));
  }

  private static JsonNode parse(byte[] body) {
    requireUtf8(body);
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new InvalidInputException(
          "body",
          "exceeds a limit of the JSON reader: at most "
              + MAX_DEPTH
              + " levels of nesting, numbers of at most 1000 digits");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InvalidInputException(
          "body",
          "is not valid JSON"
              + (at == null || at.getLineNr() < 1
                  ? ""
                  : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
    } catch (IOException e) {
      throw new InvalidInputException("body", "is not valid JSON");
    } catch (NumberFormatException | ArithmeticException e) {
      // Jackson reads every decimal as a BigDecimal at once, whose scale is an int: an exponent
      // such as 1e-2147483648 fails there, wherever in the body it stands (even in an ignored
      // member), so the body as a whole is refused.
      throw new InvalidInputException(
          "body", "holds a number whose exponent is out of range (beyond +/-2147483647)");
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidInputException("body", "is empty; send an event or a batch of events");
    }
    return root;
  }

  /**
   * Refuses bytes that are not well-formed UTF-8. Jackson's own decoding is lenient (an overlong
   * {@code C0 AF} becomes {@code /}, a stray {@code FF} becomes {@code ÿ}), so two different byte
   * strings could name one idempotency key; the JDK's decoder reports over-long forms, encoded
   * surrogates and code points above U+10FFFF.
   */
  private static void requireUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("body", "is not valid UTF-8");
    }
  }

  /** Builder of {@link UsageIngestor}. Not thread-safe. */
  public static final class Builder {
    private final UsageMeter meter;
    private final MeterCatalog catalog;
    private MeterRegistry meterRegistry;
    private Set<String> ingestibleMeters;

    private Builder(UsageMeter meter, MeterCatalog catalog) {
      this.meter = Objects.requireNonNull(meter, "meter");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Where to count ingested events ({@code tenantkit.usage.ingest.events}) and refused requests
     * ({@code tenantkit.usage.ingest.requests.refused}); default none.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The meters that events over HTTP may name; an event for another meter of the catalog is
     * rejected {@value UsageIngestor#METER_NOT_INGESTIBLE}. Default: every meter of the catalog
     * except the {@linkplain Meters#BUILT_INS built-in ones}, which the host's own filters and code
     * record (a caller must not raise or lower its {@code api_calls} or {@code storage_bytes}). A
     * list given here may name any meter of the catalog, built-in or not.
     *
     * @throws IllegalArgumentException if a name is not a meter of the catalog
     */
    public Builder ingestibleMeters(Set<String> names) {
      Objects.requireNonNull(names, "names");
      for (String name : names) {
        if (catalog.find(Objects.requireNonNull(name, "name")).isEmpty()) {
          throw new IllegalArgumentException(
              "'" + name + "' is not a meter of the catalog; it cannot be made ingestible");
        }
      }
      this.ingestibleMeters = Set.copyOf(names);
      return this;
    }

    private Set<String> ingestible() {
      if (ingestibleMeters != null) {
        return ingestibleMeters;
      }
      Set<String> builtIns = new HashSet<>();
      Meters.BUILT_INS.forEach(m -> builtIns.add(m.name()));
      Set<String> names = new HashSet<>();
      for (MeterDefinition m : catalog.all()) {
        if (!builtIns.contains(m.name())) {
          names.add(m.name());
        }
      }
      return Set.copyOf(names);
    }

    /** Builds the ingestor. */
    public UsageIngestor build() {
      return new UsageIngestor(this);
    }
  }
}
