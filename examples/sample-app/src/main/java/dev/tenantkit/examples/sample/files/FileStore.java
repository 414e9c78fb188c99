package dev.tenantkit.examples.sample.files;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.TenantAwareDataSource;
import dev.tenantkit.tenancy.spi.TenantPurger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where files live: their metadata in the table {@code sample_files} (through {@link
 * TenantAwareDataSource}, so on PostgreSQL row-level security applies, and every statement also
 * names its tenant), their bytes in {@code <data-dir>/files/<tenant>/<id>}. The id is random and
 * generated here; a client's file name never becomes part of a path.
 *
 * <p>A file appears whole or not at all: the bytes are written to a temporary file next to their
 * place, and the row is inserted and the bytes moved into place in one transaction; if anything
 * fails, the row is rolled back and the bytes removed. A crash between the move and the commit can
 * leave bytes without a row, which nothing lists or serves; temporary files nobody has written to
 * for an hour are removed at startup (younger ones may be another instance's uploads in progress).
 * When a tenant is purged, its rows and its directory go with it ({@link TenantPurger}), so a
 * tenant created later under the same id finds no file of the old one. Thread-safe.
 */
@Component
class FileStore implements TenantPurger {
  private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CURSOR = Pattern.compile("(-?[0-9]{1,19}):([0-9a-f]{32})");
  private static final String TEMP_PREFIX = ".upload-";
  private static final Duration LEFTOVER_AGE = Duration.ofHours(1);
  private static final String COLUMNS =
      "id, name, type, content_type, size_bytes, sha256, created_at";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Path root;
  private final InstantSource clock;

  FileStore(
      DataSource dataSource, TenantkitProperties properties, ObjectProvider<InstantSource> clock) {
    DataSource tenantAware = TenantAwareDataSource.wrap(dataSource);
    this.jdbc = new JdbcTemplate(tenantAware);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(tenantAware));
    this.root = properties.dataDir().toAbsolutePath().normalize().resolve("files");
    this.clock = clock.getIfUnique(InstantSource::system);
    removeLeftovers();
  }

  /** Bytes written to a temporary file, not yet a file of the tenant. */
  record Staged(Path path, long size, String sha256) {}

  /**
   * Writes the bytes of an upload next to the tenant's files, counting and hashing them.
   *
   * @throws UncheckedIOException if they cannot be read or written (nothing is left behind)
   */
  Staged stage(TenantId tenant, InputStream in) {
    Path dir = directory(tenant);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
      MessageDigest sha = sha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        size = in.transferTo(out);
      }
      return new Staged(tmp, size, HexFormat.of().formatHex(sha.digest()));
    } catch (IOException e) {
      discard(tmp);
      throw new UncheckedIOException("cannot store the upload", e);
    }
  }

  /**
   * Makes staged bytes a file of the tenant: inserts its row and moves the bytes into place, in one
   * transaction. The staged file is gone afterwards, whatever happened.
   *
   * @throws RuntimeException if the row or the bytes cannot be written; nothing is left behind
   */
  StoredFile commit(TenantId tenant, Staged staged, String name, String type, String contentType) {
    String id = newId();
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    StoredFile file =
        new StoredFile(id, name, type, contentType, staged.size(), staged.sha256(), createdAt);
    Path target = directory(tenant).resolve(id);
    try {
      transactions.executeWithoutResult(
          status -> {
            jdbc.update(
                "insert into sample_files (tenant_id, "
                    + COLUMNS
                    + ") values (?, ?, ?, ?, ?, ?, ?, ?)",
                tenant.value(),
                id,
                name,
                type,
                contentType,
                staged.size(),
                staged.sha256(),
                OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            try {
              Files.move(staged.path(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot store the upload", e);
            }
          });
      return file;
    } catch (RuntimeException e) {
      // The row was rolled back; bytes moved before a failed commit must go too.
      discard(target);
      throw e;
    } finally {
      discard(staged.path());
    }
  }

  /** The tenant's file with this id; empty for another tenant's id or anything not an id. */
  Optional<StoredFile> find(TenantId tenant, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return jdbc
        .query(
            "select " + COLUMNS + " from sample_files where tenant_id = ? and id = ?",
            FileStore::row,
            tenant.value(),
            id)
        .stream()
        .findFirst();
  }

  /** How many files the tenant holds. */
  long count(TenantId tenant) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from sample_files where tenant_id = ?", Long.class, tenant.value());
    return n == null ? 0 : n;
  }

  /** Where the bytes of the tenant's file are (the id comes from {@link #find}). */
  Path bytes(TenantId tenant, StoredFile file) {
    return directory(tenant).resolve(file.id());
  }

  /**
   * The tenant's files, newest first, a page at a time.
   *
   * @param cursor {@code null}, or a previous page's next cursor
   * @throws InvalidInputException (field {@code cursor}) for a cursor this store did not make
   */
  Page<StoredFile> list(TenantId tenant, String cursor, int limit) {
    List<StoredFile> rows;
    if (cursor == null) {
      rows =
          jdbc.query(
              "select "
                  + COLUMNS
                  + " from sample_files where tenant_id = ?"
                  + " order by created_at desc, id desc limit ?",
              FileStore::row,
              tenant.value(),
              limit + 1);
    } else {
      Matcher m = CURSOR.matcher(decode(cursor));
      if (!m.matches()) {
        throw new InvalidInputException("cursor", "not a cursor of this listing");
      }
      OffsetDateTime after;
      try {
        after = OffsetDateTime.ofInstant(micros(Long.parseLong(m.group(1))), ZoneOffset.UTC);
      } catch (RuntimeException e) {
        throw new InvalidInputException("cursor", "not a cursor of this listing");
      }
      rows =
          jdbc.query(
              "select "
                  + COLUMNS
                  + " from sample_files where tenant_id = ?"
                  + " and (created_at < ? or (created_at = ? and id < ?))"
                  + " order by created_at desc, id desc limit ?",
              FileStore::row,
              tenant.value(),
              after,
              after,
              m.group(2),
              limit + 1);
    }
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    StoredFile last = rows.get(limit - 1);
    return new Page<>(rows.subList(0, limit), encode(last));
  }

  /**
   * Deletes the tenant's file: its row, then its bytes.
   *
   * @return whether this call deleted it (false when another request deleted it first)
   */
  boolean delete(TenantId tenant, StoredFile file) {
    int deleted =
        jdbc.update(
            "delete from sample_files where tenant_id = ? and id = ?", tenant.value(), file.id());
    if (deleted == 0) {
      return false;
    }
    Path path = bytes(tenant, file);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // The row is gone, so nothing serves the bytes any more; they only take space.
      LOG.warn("cannot delete {}; remove it by hand", path, e);
    }
    return true;
  }

  /**
   * Deletes every file of the tenant, rows first (nothing serves the bytes after that), then its
   * directory.
   *
   * @throws UncheckedIOException if some bytes could not be deleted; the purge fails and can be
   *     retried
   */
  @Override
  public void purge(TenantId tenant) {
    int rows =
        TenantContext.call(
            tenant,
            () -> jdbc.update("delete from sample_files where tenant_id = ?", tenant.value()));
    Path dir = directory(tenant);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the files of tenant " + tenant, e);
      }
    }
    LOG.info("purged {} files of tenant {}", rows, tenant);
  }

  private Path directory(TenantId tenant) {
    // A TenantId is [a-z0-9_-]{1,64}: a plain directory name, never ".." or a separator.
    return root.resolve(tenant.value());
  }

  private static boolean stale(Path tmp, Instant oldest) {
    try {
      return Files.getLastModifiedTime(tmp).toInstant().isBefore(oldest);
    } catch (IOException e) {
      // Gone already (its upload finished or failed meanwhile), or unreadable: leave it.
      return false;
    }
  }

  private void removeLeftovers() {
    if (!Files.isDirectory(root)) {
      return;
    }
    // Another instance sharing the data dir may be writing an upload right now: only a temporary
    // file nobody has written to for an hour is a leftover of a crash.
    Instant oldest = clock.instant().minus(LEFTOVER_AGE);
    try (DirectoryStream<Path> tenants = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : tenants) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
          for (Path tmp : temps) {
            if (stale(tmp, oldest)) {
              discard(tmp);
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot look for unfinished uploads under {}", root, e);
    }
  }

  private static void discard(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot delete {}", path, e);
    }
  }

  private static StoredFile row(ResultSet rs, int rowNum) throws SQLException {
    return new StoredFile(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("type"),
        rs.getString("content_type"),
        rs.getLong("size_bytes"),
        rs.getString("sha256"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static String encode(StoredFile last) {
    Instant t = last.createdAt();
    long micros =
        Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("cursor", "not a cursor of this listing");
    }
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
