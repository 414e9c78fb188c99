package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The files API over HTTP: upload, list, download and delete with exact bytes; every refused upload
 * and that it leaves nothing behind; the plan's file limit and the storage gauge; scopes; one
 * tenant against another's files; malformed input.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tenantkit.operator-key=files-api-test-operator-key-0123456789",
      // Small, so the server's own limit is quick to pass.
      "spring.servlet.multipart.max-file-size=64KB",
      "spring.servlet.multipart.max-request-size=70KB"
    })
class FilesApiTest {
  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Metering metering;
  @Autowired JdbcTemplate jdbc;

  private Http http;
  private Callers callers;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @BeforeEach
  void setUp() {
    http = new Http(port);
    callers = new Callers(tenancy, quotas);
  }

  @Test
  void uploadListDownloadAndDeleteKeepTheExactBytes() {
    Caller c = callers.tenant("free");
    byte[] content = bytes(3_000, 1);

    Answer created = upload(c, "report.pdf", "application/pdf", content).assertStatus(201);
    JsonNode file = created.json();
    String id = file.get("id").asText();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(created.header("Location")).isEqualTo("/api/files/" + id);
    assertThat(file.get("name").asText()).isEqualTo("report.pdf");
    assertThat(file.get("type").asText()).isEqualTo("pdf");
    assertThat(file.get("contentType").asText()).isEqualTo("application/pdf");
    assertThat(file.get("size").asLong()).isEqualTo(3_000);
    assertThat(file.get("sha256").asText()).isEqualTo(sha256(content));
    Path stored = dataDir.resolve("files").resolve(c.tenant().value()).resolve(id);
    assertThat(stored).hasBinaryContent(content);

    JsonNode list = http.get("/api/files", "Authorization", c.bearer()).assertStatus(200).json();
    assertThat(list.get("items")).hasSize(1);
    assertThat(list.get("items").get(0)).isEqualTo(file);
    assertThat(list.get("nextCursor").isNull()).isTrue();

    Answer download = http.get("/api/files/" + id, "Authorization", c.bearer()).assertStatus(200);
    assertThat(download.bytes()).isEqualTo(content);
    assertThat(download.contentType()).isEqualTo("application/octet-stream");
    assertThat(download.header("Content-Disposition"))
        .startsWith("attachment")
        .contains("report.pdf");
    assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");

    http.send("DELETE", "/api/files/" + id, null, "Authorization", c.bearer()).assertStatus(204);
    http.get("/api/files/" + id, "Authorization", c.bearer()).assertProblem(404, "not-found");
    http.send("DELETE", "/api/files/" + id, null, "Authorization", c.bearer())
        .assertProblem(404, "not-found");
    assertThat(http.get("/api/files", "Authorization", c.bearer()).json().get("items")).isEmpty();
    assertThat(stored).doesNotExist();
    assertNothingLeftBehind(c.tenant(), 0);
  }

  @Test
  void downloadsNameTheFileInPlainAsciiAndInUtf8WhenItIsNotAscii() {
    Caller c = callers.tenant("free");
    String ascii = upload(c, "note.txt", "text/plain", bytes(5, 1)).json().get("id").asText();
    String accented =
        upload(c, "r\u00e9sum\u00e9 \u20ac.txt", "text/plain", bytes(5, 2))
            .json()
            .get("id")
            .asText();

    // curl -OJ saves the filename= value: it must be the plain name, never an RFC 2047 word.
    assertThat(
            http.get("/api/files/" + ascii, "Authorization", c.bearer())
                .header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"note.txt\"");
    assertThat(
            http.get("/api/files/" + accented, "Authorization", c.bearer())
                .header("Content-Disposition"))
        .isEqualTo(
            "attachment; filename=\"r_sum_ _.txt\";"
                + " filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt");
  }

  @Test
  void listingPagesNewestFirst() {
    Caller c = callers.tenant("free");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(upload(c, "f" + i + ".txt", "text/plain", bytes(10, i)).json().get("id").asText());
    }
    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/api/files?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = http.get(path, "Authorization", c.bearer()).assertStatus(200).json();
      page.get("items").forEach(f -> listed.add(f.get("id").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    // Uploaded at the same instant (the clock stands still), so ties go by id, descending.
    assertThat(listed)
        .containsExactlyElementsOf(ids.stream().sorted(Comparator.reverseOrder()).toList());
  }

  @Test
  void refusedUploadsAnswerTheirProblemAndLeaveNothing() {
    Caller c = callers.tenant("free");
    Answer empty = upload(c, "empty.pdf", "application/pdf", new byte[0]);
    assertThat(empty.assertProblem(400, "invalid-input").json().get("field").asText())
        .isEqualTo("file");
    Answer wrongPart =
        http.upload(
            "/api/files",
            "document",
            "a.pdf",
            "application/pdf",
            bytes(10, 2),
            "Authorization",
            c.bearer());
    assertThat(wrongPart.assertProblem(400, "invalid-input").json().get("field").asText())
        .isEqualTo("file");
    http.send("POST", "/api/files", "{\"file\":\"abc\"}", "Authorization", c.bearer())
        .assertProblem(400, "invalid-input");
    http.sendBytes(
            "POST",
            "/api/files",
            "multipart/form-data; boundary=x",
            "garbage".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            c.bearer())
        .assertProblem(400, "invalid-input");

    upload(c, "big.pdf", "application/pdf", bytes(100 * 1024, 3))
        .assertProblem(413, "file-too-large");

    tenancy
        .tenants()
        .updateSettings(
            c.tenant(),
            TenantSettings.builder()
                .maxFileSizeBytes(1_000L)
                .allowedFileTypes(List.of("pdf", "txt"))
                .build());
    Answer tooLarge = upload(c, "a.pdf", "application/pdf", bytes(1_001, 4));
    assertThat(
            tooLarge.assertProblem(413, "file-too-large").json().get("maxFileSizeBytes").asLong())
        .isEqualTo(1_000);
    Answer exe = upload(c, "tool.exe", "application/octet-stream", bytes(10, 5));
    assertThat(exe.assertProblem(415, "unsupported-file-type").json().get("allowedFileTypes"))
        .hasSize(2);
    upload(c, "README", "text/plain", bytes(10, 6)).assertProblem(415, "unsupported-file-type");
    upload(c, "ok.TXT", "text/plain", bytes(1_000, 7)).assertStatus(201);

    assertNothingLeftBehind(c.tenant(), 1);
  }

  @Test
  void aRangeThatDoesNotFitIsA416ProblemWithoutTheFile() {
    Caller c = callers.tenant("free");
    byte[] content = "hello, tenantkit\n".getBytes(StandardCharsets.UTF_8);
    String id = upload(c, "note.txt", "text/plain", content).json().get("id").asText();
    String path = "/api/files/" + id;

    for (String range :
        List.of("bytes=5-2", "bytes=100-200", "bytes=99999999999999999999-", "lines=1-2")) {
      Answer refused = http.get(path, "Authorization", c.bearer(), "Range", range);
      refused.assertProblem(416, "range-not-satisfiable");
      assertThat(refused.header("Content-Range")).as(range).isEqualTo("bytes */17");
      assertThat(refused.body()).as(range).doesNotContain("hello");
    }
    Answer part = http.get(path, "Authorization", c.bearer(), "Range", "bytes=0-4");
    part.assertStatus(206);
    assertThat(part.body()).isEqualTo("hello");
    assertThat(part.header("Content-Range")).isEqualTo("bytes 0-4/17");
    String etag = http.get(path, "Authorization", c.bearer()).assertStatus(200).header("ETag");
    // A matching If-None-Match comes before the range: 304, as without a Range.
    http.get(path, "Authorization", c.bearer(), "If-None-Match", etag, "Range", "bytes=5-2")
        .assertStatus(304);
    // Another tenant's file id is still 404 whatever the range.
    Caller other = callers.tenant("free");
    http.get(path, "Authorization", other.bearer(), "Range", "bytes=5-2")
        .assertProblem(404, "not-found");
  }

  @Test
  void containerLimitsOtherThanSizeAre400NamingTheLimit() {
    Caller c = callers.tenant("free");
    byte[] note = "hello, tenantkit\n".getBytes(StandardCharsets.UTF_8);

    Answer longName = upload(c, "a".repeat(450) + ".txt", "text/plain", note);
    assertThat(longName.assertProblem(400, "invalid-input").json().get("field").asText())
        .isEqualTo("file");
    assertThat(longName.json().get("detail").asText()).contains("headers", "file name");

    List<String[]> fields = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      fields.add(new String[] {"f" + i, "x"});
    }
    Answer manyParts = multipart(c, fields, note, "");
    assertThat(manyParts.assertProblem(400, "invalid-input").json().get("detail").asText())
        .contains("parts");

    Answer bigHeader = multipart(c, List.of(), note, "X-A: " + "a".repeat(2_000) + "\r\n");
    assertThat(bigHeader.assertProblem(400, "invalid-input").json().get("detail").asText())
        .contains("headers");

    // A real size limit is still 413.
    upload(c, "big.txt", "text/plain", bytes(100 * 1024, 3)).assertProblem(413, "file-too-large");
    // A name of 300 characters passes.
    upload(c, "b".repeat(300) + ".txt", "text/plain", note).assertStatus(201);
    assertNothingLeftBehind(c.tenant(), 1);
  }

  /** A multipart upload of {@code fields} (name, value) and then the part {@code file}. */
  private Answer multipart(Caller c, List<String[]> fields, byte[] file, String extraHeaders) {
    String boundary = "b0123456789";
    StringBuilder head = new StringBuilder();
    for (String[] f : fields) {
      head.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"")
          .append(f[0])
          .append("\"\r\n\r\n")
          .append(f[1])
          .append("\r\n");
    }
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\n")
        .append(extraHeaders)
        .append("Content-Type: text/plain\r\n\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[start.length + file.length + end.length];
    System.arraycopy(start, 0, body, 0, start.length);
    System.arraycopy(file, 0, body, start.length, file.length);
    System.arraycopy(end, 0, body, start.length + file.length, end.length);
    return http.sendBytes(
        "POST",
        "/api/files",
        "multipart/form-data; boundary=" + boundary,
        body,
        "Authorization",
        c.bearer());
  }

  @Test
  void theFreePlansFileLimitAnswers429AndDeletesGiveBack() {
    Caller c = callers.tenant("free");
    // The free plan's 100 files, shortened for speed: the same gauge with a tenant override.
    quotas.admin().setOverride(c.tenant(), PlanCatalog.FILES, 2L);
    String first = upload(c, "a.pdf", "application/pdf", bytes(1_000, 8)).json().get("id").asText();
    upload(c, "b.pdf", "application/pdf", bytes(500, 9)).assertStatus(201);
    assertThat(gauge(c.tenant(), PlanCatalog.STORAGE_BYTES).used()).isEqualTo(1_500);

    Answer refused = upload(c, "c.pdf", "application/pdf", bytes(10, 10));
    JsonNode problem = refused.assertProblem(429, "quota-exceeded").json();
    assertThat(problem.get("limit").asText()).isEqualTo("files");
    assertThat(problem.get("limitValue").asLong()).isEqualTo(2);
    assertThat(problem.get("remaining").asLong()).isZero();
    // A gauge frees up only when files are deleted, so there is no time to retry after.
    assertThat(refused.header("Retry-After")).isNull();
    // The 429 names the refusing limit (RateLimit draft -11).
    assertThat(String.join(", ", refused.headers().allValues("RateLimit-Policy")))
        .contains("\"files\";q=2");
    assertThat(String.join(", ", refused.headers().allValues("RateLimit")))
        .contains("\"files\";r=0");
    assertThat(gauge(c.tenant(), PlanCatalog.FILES).used()).isEqualTo(2);
    assertThat(gauge(c.tenant(), PlanCatalog.STORAGE_BYTES).used()).isEqualTo(1_500);
    assertNothingLeftBehind(c.tenant(), 2);

    http.send("DELETE", "/api/files/" + first, null, "Authorization", c.bearer()).assertStatus(204);
    assertThat(gauge(c.tenant(), PlanCatalog.FILES).used()).isEqualTo(1);
    assertThat(gauge(c.tenant(), PlanCatalog.STORAGE_BYTES).used()).isEqualTo(500);
    upload(c, "c.pdf", "application/pdf", bytes(10, 10)).assertStatus(201);

    TimeRange all = new TimeRange(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    assertThat(metering.queries().total(c.tenant(), "files_uploaded", all))
        .isEqualTo(new BigDecimal("3"));
    assertThat(metering.queries().total(c.tenant(), "storage_bytes", all))
        .isEqualTo(new BigDecimal("510"));
  }

  @Test
  void theStoragePlanLimitAnswers429Too() {
    Caller c = callers.tenant("free");
    quotas.admin().setOverride(c.tenant(), PlanCatalog.STORAGE_BYTES, 1_000L);
    upload(c, "a.pdf", "application/pdf", bytes(600, 11)).assertStatus(201);
    Answer refused = upload(c, "b.pdf", "application/pdf", bytes(401, 12));
    assertThat(refused.assertProblem(429, "quota-exceeded").json().get("limit").asText())
        .isEqualTo("storage_bytes");
    assertThat(String.join(", ", refused.headers().allValues("RateLimit")))
        .contains("\"storage_bytes\";r=400");
    assertThat(gauge(c.tenant(), PlanCatalog.FILES).used()).isEqualTo(1);
    upload(c, "b.pdf", "application/pdf", bytes(400, 12)).assertStatus(201);
    assertNothingLeftBehind(c.tenant(), 2);
  }

  @Test
  void anUploadThatCannotBeStoredLeavesNothingAndGivesTheGaugesBack() throws IOException {
    Caller c = callers.tenant("free");
    // A plain file where the tenant's directory belongs: writing the bytes fails.
    Files.createDirectories(dataDir.resolve("files"));
    Path blocker = dataDir.resolve("files").resolve(c.tenant().value());
    Files.writeString(blocker, "not a directory");

    Answer failed = upload(c, "a.pdf", "application/pdf", bytes(100, 21));
    assertThat(failed.status()).isEqualTo(500);
    Integer rows =
        jdbc.queryForObject(
            "select count(*) from sample_files where tenant_id = ?",
            Integer.class,
            c.tenant().value());
    assertThat(rows).isZero();
    assertThat(gauge(c.tenant(), PlanCatalog.FILES).used()).isZero();
    assertThat(gauge(c.tenant(), PlanCatalog.STORAGE_BYTES).used()).isZero();
    assertThat(blocker).hasContent("not a directory");

    Files.delete(blocker);
    upload(c, "a.pdf", "application/pdf", bytes(100, 21)).assertStatus(201);
    assertNothingLeftBehind(c.tenant(), 1);
  }

  @Test
  void readingNeedsFilesReadAndChangingNeedsFilesWrite() {
    Caller owner = callers.tenant("free");
    String id = upload(owner, "a.pdf", "application/pdf", bytes(10, 13)).json().get("id").asText();
    Caller reader = callers.key(owner.tenant(), "files:read");
    Caller writer = callers.key(owner.tenant(), "files:write");
    Caller usage = callers.key(owner.tenant(), "usage:read");

    http.get("/api/files", "Authorization", reader.bearer()).assertStatus(200);
    http.get("/api/files/" + id, "Authorization", reader.bearer()).assertStatus(200);
    upload(reader, "b.pdf", "application/pdf", bytes(10, 14)).assertProblem(403, "missing-scope");
    http.send("DELETE", "/api/files/" + id, null, "Authorization", reader.bearer())
        .assertProblem(403, "missing-scope");

    http.get("/api/files", "Authorization", writer.bearer()).assertProblem(403, "missing-scope");
    upload(writer, "b.pdf", "application/pdf", bytes(10, 14)).assertStatus(201);

    http.get("/api/files", "Authorization", usage.bearer()).assertProblem(403, "missing-scope");
    upload(usage, "c.pdf", "application/pdf", bytes(10, 15)).assertProblem(403, "missing-scope");
    http.send("DELETE", "/api/files/" + id, null, "Authorization", writer.bearer())
        .assertStatus(204);
  }

  @Test
  void oneTenantCannotReachAnothersFiles() {
    Caller acme = callers.tenant("free");
    Caller globex = callers.tenant("starter");
    byte[] secret = bytes(200, 16);
    String id = upload(globex, "secret.pdf", "application/pdf", secret).json().get("id").asText();

    for (String[] headers :
        List.of(
            new String[] {"Authorization", acme.bearer()},
            new String[] {
              "Authorization", acme.bearer(), "X-Tenant-ID", globex.tenant().value()
            })) {
      String q = "?tenant_id=" + globex.tenant().value();
      http.get("/api/files/" + id, headers).assertProblem(404, "not-found");
      http.get("/api/files/" + id + q, headers).assertProblem(404, "not-found");
      http.send("DELETE", "/api/files/" + id + q, null, headers).assertProblem(404, "not-found");
      assertThat(http.get("/api/files" + q, headers).assertStatus(200).json().get("items"))
          .isEmpty();
    }
    // globex's cursor works as a position only; acme still sees only its own files.
    upload(acme, "mine.pdf", "application/pdf", bytes(10, 17)).assertStatus(201);
    upload(globex, "more.pdf", "application/pdf", bytes(10, 18)).assertStatus(201);
    String globexCursor =
        http.get("/api/files?limit=1", "Authorization", globex.bearer())
            .json()
            .get("nextCursor")
            .asText();
    JsonNode acmePage =
        http.get("/api/files?cursor=" + globexCursor, "Authorization", acme.bearer())
            .assertStatus(200)
            .json();
    acmePage.get("items").forEach(f -> assertThat(f.get("name").asText()).isEqualTo("mine.pdf"));

    assertThat(http.get("/api/files/" + id, "Authorization", globex.bearer()).bytes())
        .isEqualTo(secret);
  }

  @Test
  void aClientsFileNameNeverBecomesAPath() {
    Caller c = callers.tenant("free");
    JsonNode file =
        upload(c, "../../../etc/passwd.txt", "text/plain", bytes(10, 19)).assertStatus(201).json();
    assertThat(file.get("name").asText()).isEqualTo("passwd.txt");
    JsonNode windows =
        upload(c, "..\\..\\boot.ini", "text/plain", bytes(10, 20)).assertStatus(201).json();
    assertThat(windows.get("name").asText()).isEqualTo("boot.ini");
    try (Stream<Path> all = Files.walk(dataDir.resolve("files"))) {
      assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .allMatch(n -> n.matches("[0-9a-f]{32}"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(dataDir.resolve("etc")).doesNotExist();
  }

  @Test
  void noMalformedInputGivesAServerError() {
    Caller c = callers.tenant("free");
    String auth = c.bearer();
    List<Answer> answers =
        List.of(
            http.get("/api/files/not-an-id", "Authorization", auth),
            http.get("/api/files/" + "a".repeat(32), "Authorization", auth),
            http.get("/api/files/" + "A".repeat(32), "Authorization", auth),
            http.get("/api/files/" + "a".repeat(5000), "Authorization", auth),
            http.get("/api/files/..%2e", "Authorization", auth),
            http.get("/api/files/%E2%80%AE", "Authorization", auth),
            http.get("/api/files?limit=0", "Authorization", auth),
            http.get("/api/files?limit=-1", "Authorization", auth),
            http.get("/api/files?limit=abc", "Authorization", auth),
            http.get("/api/files?limit=101", "Authorization", auth),
            http.get("/api/files?limit=99999999999999", "Authorization", auth),
            http.get("/api/files?cursor=", "Authorization", auth),
            http.get("/api/files?cursor=!!!", "Authorization", auth),
            http.get("/api/files?cursor=MTox", "Authorization", auth),
            http.get("/api/files?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTpk", "Authorization", auth),
            http.send("DELETE", "/api/files/xyz", null, "Authorization", auth),
            http.send("DELETE", "/api/files", null, "Authorization", auth),
            http.send("PUT", "/api/files/" + "a".repeat(32), "{}", "Authorization", auth),
            http.sendBytes(
                "POST",
                "/api/files",
                "multipart/form-data",
                new byte[] {1, 2, 3},
                "Authorization",
                auth),
            http.sendBytes(
                "POST", "/api/files", "text/plain", new byte[] {1, 2, 3}, "Authorization", auth),
            http.sendBytes("POST", "/api/files", null, null, "Authorization", auth));
    assertThat(answers).allSatisfy(Answer::assertClientProblem);

    // Refused by the servlet container before the app sees them: a 400, never a 500.
    assertThat(http.get("/api/files/..%2F..%2Fetc%2Fpasswd", "Authorization", auth).status())
        .isEqualTo(400);
    assertThat(http.get("/api/files/%00", "Authorization", auth).status()).isEqualTo(400);
  }

  private Answer upload(Caller c, String name, String type, byte[] content) {
    return http.upload("/api/files", "file", name, type, content, "Authorization", c.bearer());
  }

  private QuotaStatus gauge(TenantId tenant, String limit) {
    return quotas.admin().status(tenant).stream()
        .filter(s -> s.limitName().equals(limit))
        .findFirst()
        .orElseThrow();
  }

  /** The tenant has exactly {@code files} rows and as many stored files, and no temporary file. */
  private void assertNothingLeftBehind(TenantId tenant, int files) {
    Integer rows =
        jdbc.queryForObject(
            "select count(*) from sample_files where tenant_id = ?", Integer.class, tenant.value());
    assertThat(rows).isEqualTo(files);
    Path dir = dataDir.resolve("files").resolve(tenant.value());
    if (!Files.isDirectory(dir)) {
      assertThat(files).isZero();
      return;
    }
    try (Stream<Path> stored = Files.list(dir)) {
      List<String> names = stored.map(p -> p.getFileName().toString()).toList();
      assertThat(names).hasSize(files).allMatch(n -> n.matches("[0-9a-f]{32}"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(gauge(tenant, PlanCatalog.FILES).used()).isEqualTo(files);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
