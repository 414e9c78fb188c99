package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Requests that embedded Tomcat refuses itself, before Tenantkit's filter or Spring MVC run, are
 * answered as problems of Tenantkit's form with Tomcat's status, by {@code web/ProblemReportValve}:
 * never Tomcat's HTML page, a stack trace or the server's version. Sent over a plain socket, since
 * {@code java.net.http} refuses to send most of them.
 */
@SpringBootTest(
    classes = SampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=container-errors-test-operator-key-0123456789")
class ContainerErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @Test
  void anEncodedSlashInThePathIsA400Problem() {
    get("/api/files/..%2F..%2Fetc%2Fpasswd").assertProblem(400, "invalid-input");
    get("/admin/tenants/..%2F..%2Fetc/quotas").assertProblem(400, "invalid-input");
  }

  @Test
  void anEncodedNulInThePathIsA400Problem() {
    get("/api/files/abc%00").assertProblem(400, "invalid-input");
  }

  @Test
  void invalidUtf8InThePathIsA400Problem() {
    get("/api/files/%FF").assertProblem(400, "invalid-input");
  }

  @Test
  void aRawNonAsciiByteInTheQueryIsA400Problem() {
    byte[] request =
        ("GET /api/analytics/events?userId=\u00fc HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    send(request).assertProblem(400, "invalid-input");
  }

  @Test
  void aQueryOfTooManyParametersPastTheHeaderSizeIsA400Problem() {
    String query =
        IntStream.range(0, 1500).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
    get("/api/analytics/events?" + query).assertProblem(400, "invalid-input");
  }

  @Test
  void aTooLongUriIsA400Problem() {
    get("/api/tenant?x=" + "a".repeat(10_000)).assertProblem(400, "invalid-input");
  }

  @Test
  void aTooLargeHeaderIsA400Problem() {
    get("/api/tenant", "X-Foo", "a".repeat(9_000)).assertProblem(400, "invalid-input");
  }

  @Test
  void anExpectationOtherThan100ContinueIsA417Problem() {
    get("/health", "Expect", "bogus").assertProblem(417, "expectation-failed");
  }

  @Test
  void anAbsoluteRequestTargetForAnotherHostIsA400Problem() {
    byte[] request =
        ("GET http://evil.example/api/tenant HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    send(request).assertProblem(400, "invalid-input");
  }

  @Test
  void traceIsA405ProblemThatEchoesNothing() {
    Raw answer = request("TRACE", "/api/files", "X-Echo", "echo-me");
    answer.assertProblem(405, "method-not-allowed");
    assertThat(answer.body()).doesNotContain("echo-me");
  }

  @Test
  void connectIsA501Problem() {
    request("CONNECT", "evil.example:443").assertProblem(501, "not-implemented");
  }

  @Test
  void anUnsupportedHttpVersionIsA505Problem() {
    byte[] request =
        "GET /health HTTP/2.5\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    send(request).assertProblem(505, "http-version-not-supported");
  }

  private Raw get(String target, String... headers) {
    return request("GET", target, headers);
  }

  private Raw request(String method, String target, String... headers) {
    StringBuilder request =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return send(request.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes these bytes as the whole request and reads the answer until the server closes. */
  private Raw send(byte[] request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(request);
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(answer);
      return Raw.parse(answer.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An answer read off the socket: status, headers by lower-case name, body. */
  private record Raw(int status, Map<String, String> headers, String body, String whole) {
    static Raw parse(String answer) {
      int end = answer.indexOf("\r\n\r\n");
      assertThat(end).as(answer).isPositive();
      List<String> lines = answer.substring(0, end).lines().toList();
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      // "HTTP/1.1 405 ": the status is the three digits after the version.
      int status = Integer.parseInt(lines.get(0).substring(9, 12));
      return new Raw(status, headers, answer.substring(end + 4), answer);
    }

    /** Asserts a problem of Tenantkit's form with this status and code, and nothing of Tomcat. */
    void assertProblem(int expectedStatus, String code) {
      assertThat(status).as(whole).isEqualTo(expectedStatus);
      assertThat(headers.get("content-type")).as(whole).isEqualTo("application/problem+json");
      JsonNode problem;
      try {
        problem = JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + whole, e);
      }
      assertThat(problem.get("type").asText()).isEqualTo("https://tenantkit.dev/problems/" + code);
      assertThat(problem.get("code").asText()).isEqualTo(code);
      assertThat(problem.get("status").asInt()).isEqualTo(expectedStatus);
      assertThat(problem.get("title").asText()).isNotBlank();
      assertThat(problem.get("detail").asText()).isNotBlank();
      assertThat(whole).doesNotContainIgnoringCase("tomcat").doesNotContain("<", "Exception");
      assertThat(headers).doesNotContainKey("server");
    }
  }
}
