package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A small HTTP client for the sample app's tests. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String baseUrl;

  Http(int port) {
    // The address, not "localhost": the management port listens on 127.0.0.1 only.
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /** Sends a request with the given headers, given as name, value, name, value... */
  Answer send(String method, String path, String body, String... headers) {
    return sendBytes(
        method,
        path,
        body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  /** Sends a request with a body of this content type (none when {@code body} is null). */
  Answer sendBytes(String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          new String(response.body(), StandardCharsets.UTF_8),
          response.body(),
          response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** Posts one multipart part named {@code part} with this file name, type and content. */
  Answer upload(
      String path, String part, String fileName, String type, byte[] content, String... headers) {
    String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + part
            + "\""
            + (fileName == null ? "" : "; filename=\"" + fileName + "\"")
            + "\r\nContent-Type: "
            + type
            + "\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return sendBytes(
        "POST", path, "multipart/form-data; boundary=" + boundary, body.toByteArray(), headers);
  }

  /** An answer: status, content type, body as text and bytes, and headers. */
  // The bytes are compared by content in the tests, never through the record's equals.
  @SuppressWarnings("ArrayRecordComponent")
  record Answer(int status, String contentType, String body, byte[] bytes, HttpHeaders headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** A header's first value, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** Asserts this status and returns the answer. */
    Answer assertStatus(int expected) {
      assertThat(status).as(body).isEqualTo(expected);
      return this;
    }

    /** Asserts a problem+json answer with this status and problem code. */
    Answer assertProblem(int expectedStatus, String code) {
      assertThat(status).as(body).isEqualTo(expectedStatus);
      assertThat(contentType).as(body).startsWith("application/problem+json");
      assertThat(json().get("type").asText()).as(body).endsWith("/" + code);
      assertThat(json().get("status").asInt()).isEqualTo(expectedStatus);
      return this;
    }

    /** Asserts a 4xx problem+json answer, whatever its code. */
    Answer assertClientProblem() {
      assertThat(status).as(body).isBetween(400, 499);
      assertThat(contentType).as(body).startsWith("application/problem+json");
      return this;
    }
  }
}
