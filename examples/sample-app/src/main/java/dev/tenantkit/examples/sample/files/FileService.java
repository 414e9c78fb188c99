package dev.tenantkit.examples.sample.files;

import dev.tenantkit.adapters.servlet.Problems;
import dev.tenantkit.examples.sample.usage.MeterConfig;
import dev.tenantkit.examples.sample.web.ApiProblem;
import dev.tenantkit.examples.sample.web.ProblemCodes;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageRejectedException;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantkitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The rules of the files API: the tenant's size and type settings, its plan's {@code files} and
 * {@code storage_bytes} gauges, and the usage meters {@code files_uploaded}, {@code storage_bytes}
 * and {@code files} (the number of files the tenant holds after each upload and delete, a level
 * whose peak in a billing period the Starter and Professional plans bill above their limit).
 *
 * <p>An upload consumes both gauges together before anything is stored (429 when the plan has no
 * room), stores the file, then meters it durably; if storing or metering fails, the file is removed
 * and the gauges are given back, so a failed upload leaves nothing. A delete meters first (under a
 * key per file, so a retried or concurrent delete counts once), then deletes and gives the gauges
 * back. Thread-safe.
 */
@Service
class FileService {
  private static final Logger LOG = LoggerFactory.getLogger(FileService.class);
  private static final long UNAVAILABLE_RETRY_SECONDS = 5;

  private final FileStore store;
  private final QuotaEnforcer quotas;
  private final UsageMeter meter;
  private final Tenancy tenancy;

  FileService(FileStore store, QuotaEnforcer quotas, UsageMeter meter, Tenancy tenancy) {
    this.store = store;
    this.quotas = quotas;
    this.meter = meter;
    this.tenancy = tenancy;
  }

  /** What a client sends: its file name, declared media type, size and bytes. */
  interface Upload {
    String originalName();

    String declaredContentType();

    long size();

    InputStream open() throws IOException;
  }

  /**
   * Checks, stores and meters an upload.
   *
   * @throws InvalidInputException (field {@code file}) for an empty file
   * @throws ApiProblem 413 {@code file-too-large} over the tenant's maximum file size, 415 {@code
   *     unsupported-file-type} for a type the tenant does not allow, 429 {@code quota-exceeded}
   *     when the plan's files or storage are used up, 503 {@code quota-store-unavailable}
   * @throws UsageRejectedException when the upload cannot be metered (nothing is kept)
   */
  StoredFile upload(TenantId tenant, Upload upload) {
    long size = upload.size();
    if (size <= 0) {
      throw new InvalidInputException("file", "the file is empty");
    }
    String name = FileNames.clean(upload.originalName());
    String type = FileNames.type(name);
    TenantSettings settings = tenancy.tenants().get(tenant).settings();
    Long max = settings.maxFileSizeBytes();
    if (max != null && size > max) {
      throw ApiProblem.of(
              413,
              ProblemCodes.FILE_TOO_LARGE,
              "the file has " + size + " bytes; this tenant accepts at most " + max)
          .with("maxFileSizeBytes", max);
    }
    if (!settings.allowedFileTypes().isEmpty() && !settings.allowedFileTypes().contains(type)) {
      throw ApiProblem.of(
              415,
              ProblemCodes.UNSUPPORTED_FILE_TYPE,
              (type.isEmpty() ? "a file without a type" : "the file type '" + type + "'")
                  + " is not allowed for this tenant")
          .with("allowedFileTypes", new TreeSet<>(settings.allowedFileTypes()));
    }

    Map<String, Long> amounts = new LinkedHashMap<>();
    amounts.put(PlanCatalog.FILES, 1L);
    amounts.put(PlanCatalog.STORAGE_BYTES, size);
    QuotaDecision decision = quotas.tryConsumeAll(tenant, amounts);
    if (!decision.allowed()) {
      throw refusal(decision);
    }
    // Fail-open decisions counted nothing, so there is nothing to give back for them.
    boolean consumed = !decision.degraded();
    StoredFile file = null;
    try {
      FileStore.Staged staged;
      try (InputStream in = upload.open()) {
        staged = store.stage(tenant, in);
      }
      file =
          store.commit(
              tenant, staged, name, type, FileNames.contentType(upload.declaredContentType()));
      List<UsageEvent> events = new ArrayList<>();
      // Also a product event: who uploaded (the API key id or the token's subject), through
      // what, and which file, for GET /api/analytics/events?userId=&source=.
      UsageEvent.Builder uploaded =
          UsageEvent.builder(tenant, Meters.FILES_UPLOADED.name())
              .idempotencyKey("file-uploaded:" + file.id())
              .source("api")
              .property("file_id", file.id());
      TenantContext.current().map(TenantBinding::subject).ifPresent(uploaded::userId);
      if (!type.isEmpty()) {
        uploaded.dimension("type", type);
      }
      events.add(uploaded.build());
      events.add(
          UsageEvent.builder(tenant, Meters.STORAGE_BYTES.name())
              .quantity(file.size())
              .idempotencyKey("file-stored:" + file.id())
              .build());
      events.add(filesHeld(tenant, "files-after-upload:" + file.id()));
      for (RecordOutcome outcome : meter.recordAll(events)) {
        if (!outcome.counted()) {
          throw new UsageRejectedException(outcome.reason(), outcome.detail());
        }
      }
      return file;
    } catch (IOException | RuntimeException e) {
      if (file != null) {
        try {
          store.delete(tenant, file);
        } catch (RuntimeException undo) {
          // The gauges are still given back below; the original failure is the one to report.
          e.addSuppressed(undo);
        }
      }
      if (consumed) {
        giveBack(tenant, size);
      }
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot read the upload", io)
          : (RuntimeException) e;
    }
  }

  /**
   * The tenant's files, newest first.
   *
   * @throws InvalidInputException (field {@code cursor}) for a cursor of another listing
   */
  Page<StoredFile> list(TenantId tenant, String cursor, int limit) {
    return store.list(tenant, cursor, limit);
  }

  /**
   * The tenant's file.
   *
   * @throws NotFoundException if the tenant has no file with this id
   */
  StoredFile get(TenantId tenant, String id) {
    return store.find(tenant, id).orElseThrow(() -> notFound(id));
  }

  /**
   * Meters, deletes and gives back a file.
   *
   * @throws NotFoundException if the tenant has no file with this id
   * @throws UsageRejectedException when the delete cannot be metered (nothing was deleted)
   */
  void delete(TenantId tenant, String id) {
    StoredFile file = get(tenant, id);
    meter.record(
        UsageEvent.builder(tenant, Meters.STORAGE_BYTES.name())
            .quantity(-file.size())
            .idempotencyKey("file-deleted:" + file.id())
            .build());
    if (!store.delete(tenant, file)) {
      throw notFound(id);
    }
    giveBack(tenant, file.size());
    try {
      meter.record(filesHeld(tenant, "files-after-delete:" + file.id()));
    } catch (TenantkitException | IllegalStateException e) {
      // The file is gone; the level only stays too high until the next upload or delete records
      // it again, and the period's peak, which is what is billed, included this file anyway.
      LOG.warn("cannot record the files held by {}: {}", tenant, e.getMessage());
    }
  }

  /** The number of files the tenant holds now, as a level of the {@code files} meter. */
  private UsageEvent filesHeld(TenantId tenant, String key) {
    return UsageEvent.builder(tenant, MeterConfig.FILES.name())
        .quantity(store.count(tenant))
        .idempotencyKey(key)
        .build();
  }

  /** The bytes of the tenant's file, if they are still on disk. */
  Optional<Path> bytes(TenantId tenant, StoredFile file) {
    Path path = store.bytes(tenant, file);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  private void giveBack(TenantId tenant, long size) {
    try {
      quotas.release(tenant, PlanCatalog.FILES, 1);
      quotas.release(tenant, PlanCatalog.STORAGE_BYTES, size);
    } catch (TenantkitException | IllegalStateException e) {
      // The files are gone either way; the gauges stay too high until an operator corrects them.
      LOG.warn("cannot give back the files and storage gauges of {}: {}", tenant, e.getMessage());
    }
  }

  private static ApiProblem refusal(QuotaDecision d) {
    if (d.degraded()) {
      return ApiProblem.of(503, Problems.QUOTA_STORE_UNAVAILABLE, d.message())
          .with("limit", d.limitName())
          .header("Retry-After", Long.toString(UNAVAILABLE_RETRY_SECONDS));
    }
    ApiProblem p =
        ApiProblem.of(429, Problems.QUOTA_EXCEEDED, d.message())
            .with("limit", d.limitName())
            .with("limitValue", d.unlimited() ? null : d.limit())
            .with("remaining", d.remaining())
            .with("resetAt", d.resetAt().map(Instant::toString).orElse(null))
            .refusedBy(d);
    return p;
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("no file with id '" + shorten(id) + "'");
  }

  private static String shorten(String id) {
    return id.length() > 64 ? id.substring(0, 64) + "..." : id;
  }
}
