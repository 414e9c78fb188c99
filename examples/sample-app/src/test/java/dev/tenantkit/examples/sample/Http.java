package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small HTTP client for the sample app's tests. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final String baseUrl;

  Http(int port) {
    this.baseUrl = "http://localhost:" + port;
  }

  /** Sends a request with the given headers, given as name, value, name, value... */
  Answer send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
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

  /** An answer: status, content type and body. */
  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
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
