package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged jar ({@code target/sample-app.jar}, as {@code java -jar} runs it), not only the
 * Spring context of the other tests: on PostgreSQL (embedded, as a role without BYPASSRLS) with
 * tenants resolved from HS256 JWTs whose issuer and audience are checked; and with a bad property,
 * where it must stop with a report naming the property and without Tomcat's warning about threads
 * left running. Runs in Maven's integration-test phase (failsafe), after the jar is built.
 */
class PackagedJarIT {
  private static final String SECRET = "packaged-jar-it-hs256-secret-of-at-least-32-bytes";
  private static final String ISSUER = "https://id.example.test";
  private static final String AUDIENCE = "sample-app";
  private static final String READY = "Metrics (this machine only)";

  @TempDir Path dir;

  @Test
  void theJarRunsOnPostgresWithJwtsAndKeepsTenantsApart() throws Exception {
    PGSimpleDataSource db = (PGSimpleDataSource) PostgresFixture.newDatabase();
    JarProcess app =
        JarProcess.start(
            dir,
            "--spring.datasource.url=" + db.getUrl(),
            "--spring.datasource.username=" + PostgresFixture.APP_ROLE,
            "--tenantkit.resolvers.order=jwt,api-key",
            "--tenantkit.resolvers.jwt.hs256-secret=" + SECRET,
            "--tenantkit.resolvers.jwt.issuer=" + ISSUER,
            "--tenantkit.resolvers.jwt.audience=" + AUDIENCE);
    try {
      assertThat(app.awaitLine(READY)).as(app.output()).isTrue();
      assertThat(app.output()).contains("Demo tenants created");
      Http http = new Http(app.port());
      String acme = "Bearer " + token("acme", ISSUER, AUDIENCE, SECRET);
      String globex = "Bearer " + token("globex", ISSUER, AUDIENCE, SECRET);

      assertThat(
              http.get("/api/tenant", "Authorization", acme)
                  .assertStatus(200)
                  .json()
                  .get("id")
                  .asText())
          .isEqualTo("acme");
      String acmeFile = upload(http, acme, "a.txt");
      String globexFile = upload(http, globex, "g.txt");

      JsonNode acmeList = http.get("/api/files", "Authorization", acme).assertStatus(200).json();
      assertThat(acmeList.get("items")).hasSize(1);
      assertThat(acmeList.get("items").get(0).get("id").asText()).isEqualTo(acmeFile);
      assertThat(http.get("/api/files/" + acmeFile, "Authorization", acme).assertStatus(200).body())
          .isEqualTo("a.txt");

      // Another tenant's id, in the path, a parameter or a header, gets nothing of it.
      http.get("/api/files/" + globexFile, "Authorization", acme).assertProblem(404, "not-found");
      http.send("DELETE", "/api/files/" + globexFile, null, "Authorization", acme)
          .assertProblem(404, "not-found");
      assertThat(
              http.get(
                      "/api/tenant?tenant_id=globex",
                      "Authorization",
                      acme,
                      "X-Tenant-ID",
                      "globex")
                  .json()
                  .get("id")
                  .asText())
          .isEqualTo("acme");
      assertThat(http.get("/api/files/" + globexFile, "Authorization", globex).body())
          .isEqualTo("g.txt");

      // Signed with the right secret but for another audience or issuer, or with another secret.
      http.get("/api/tenant", "Authorization", "Bearer " + token("acme", ISSUER, "other", SECRET))
          .assertProblem(401, "invalid-credential");
      http.get(
              "/api/tenant",
              "Authorization",
              "Bearer " + token("acme", "https://other.example.test", AUDIENCE, SECRET))
          .assertProblem(401, "invalid-credential");
      http.get(
              "/api/tenant",
              "Authorization",
              "Bearer " + token("acme", ISSUER, AUDIENCE, SECRET.replace('a', 'b')))
          .assertProblem(401, "invalid-credential");
    } finally {
      int exit = app.stop();
      assertThat(exit).as(app.output()).isEqualTo(143);
    }
    assertThat(app.output()).doesNotContain("failed to stop it");
  }

  @Test
  void aBadPropertyStopsTheJarNamingItWithoutThreadsLeftRunning() throws Exception {
    JarProcess app =
        JarProcess.start(
            dir,
            "--tenantkit.data-dir=" + dir.resolve("data"),
            "--tenantkit.resolvers.order=bogus");

    assertThat(app.awaitLine(READY)).isFalse();
    assertThat(app.stop()).isEqualTo(1);
    assertThat(app.output())
        .contains("APPLICATION FAILED TO START")
        .contains("the property 'tenantkit.resolvers.order' names the unknown resolver 'bogus'")
        .doesNotContain("failed to stop it");
  }

  private static String upload(Http http, String bearer, String name) {
    return http.upload(
            "/api/files",
            "file",
            name,
            "text/plain",
            name.getBytes(StandardCharsets.UTF_8),
            "Authorization",
            bearer)
        .assertStatus(201)
        .json()
        .get("id")
        .asText();
  }

  private static String token(String tenant, String issuer, String audience, String secret)
      throws JOSEException {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("user-1")
                .claim("tenant_id", tenant)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .build());
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  /**
   * The jar as a child process on random ports, in a working directory of its own, its output
   * (stdout and stderr) read line by line as it comes.
   */
  private static final class JarProcess {
    private static final String EOF = "\u0000eof";
    private static final Pattern OPERATOR_LINE =
        Pattern.compile("http://localhost:(\\d+)/admin/tenants");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();

    private JarProcess(Process process) {
      this.process = process;
      Thread reader = new Thread(this::read, "sample-jar-output");
      reader.setDaemon(true);
      reader.start();
    }

    static JarProcess start(Path dir, String... properties) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // C1 only: the process lives for a few requests, so a quicker start beats faster code.
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-jar");
      // Set by failsafe; the default is for a run from the module's directory in an IDE.
      command.add(
          Path.of(System.getProperty("sample.jar", "target/sample-app.jar"))
              .toAbsolutePath()
              .toString());
      command.add("--server.port=0");
      command.add("--management.server.port=0");
      command.add("--tenantkit.data-dir=" + dir.resolve("data"));
      command.add("--tenantkit.operator-key=packaged-jar-it-operator-key-0123456789");
      command.addAll(List.of(properties));
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      return new JarProcess(process);
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          output.append(line).append('\n');
          lines.add(line);
        }
      } catch (IOException e) {
        output.append("(output not readable: ").append(e).append(")\n");
      } finally {
        lines.add(EOF);
      }
    }

    /** Blocks until a line containing {@code text} (true) or the end of the output (false). */
    boolean awaitLine(String text) throws InterruptedException {
      for (String line = next(); !line.equals(EOF); line = next()) {
        if (line.contains(text)) {
          return true;
        }
      }
      lines.add(EOF);
      return false;
    }

    /**
     * The next line; a process silent for two minutes is hung, and is killed so that the build
     * fails instead of waiting for ever (a guard, not a measure of speed).
     */
    private String next() throws InterruptedException {
      String line = lines.poll(2, TimeUnit.MINUTES);
      if (line == null) {
        process.destroyForcibly();
        return EOF;
      }
      return line;
    }

    /** The app's port, from the operator API line the sample app prints once it is ready. */
    int port() {
      Matcher m = OPERATOR_LINE.matcher(output);
      assertThat(m.find()).as(output()).isTrue();
      return Integer.parseInt(m.group(1));
    }

    /** Asks the process to stop (SIGTERM, as a service manager would) and waits for its exit. */
    int stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      int exit = process.waitFor();
      awaitLine(EOF);
      return exit;
    }

    String output() {
      return output.toString();
    }
  }
}
