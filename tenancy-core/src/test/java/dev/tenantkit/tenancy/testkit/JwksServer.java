package dev.tenantkit.tenancy.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for an identity provider's {@code jwks_uri}: serves the JWK Set document it is
 * given at {@code /jwks.json} on a free loopback port and counts the requests, so tests can rotate
 * keys and check how often a resolver fetches. Thread-safe. Close it to stop the server.
 */
public final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
  private final AtomicInteger requests = new AtomicInteger();

  private JwksServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static JwksServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    JwksServer jwks = new JwksServer(server);
    server.createContext(
        "/jwks.json",
        exchange -> {
          jwks.requests.incrementAndGet();
          byte[] body = jwks.document.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return jwks;
  }

  /** Serves this JWK Set document from now on (a key rotation). */
  public void serve(String jwkSetJson) {
    document.set(jwkSetJson);
  }

  /** The URL of the key set. */
  public URI uri() {
    return URI.create(
        "http://"
            + server.getAddress().getHostString()
            + ":"
            + server.getAddress().getPort()
            + "/jwks.json");
  }

  /** How many times the key set was requested. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
