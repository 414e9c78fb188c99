package dev.tenantkit.tenancy.testkit;

import dev.tenantkit.tenancy.spi.RequestView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@link RequestView} built by hand for resolver tests. Not thread-safe while being built. */
public final class FakeRequest implements RequestView {
  private final Map<String, List<String>> headers = new HashMap<>();
  private String host = "localhost";
  private String path = "/";
  private String remoteAddress = "203.0.113.9";

  private FakeRequest() {}

  /** A request for {@code /} from a public address with no headers. */
  public static FakeRequest create() {
    return new FakeRequest();
  }

  /** Sets a header. */
  public FakeRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(value)));
    return this;
  }

  /** Adds another value of a header, as a client or proxy that repeats it would send. */
  public FakeRequest addHeader(String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
  }

  /** Sets {@code Authorization: Bearer token}. */
  public FakeRequest bearer(String token) {
    return header("Authorization", "Bearer " + token);
  }

  /** Sets the host. */
  public FakeRequest host(String host) {
    this.host = host;
    return this;
  }

  /** Sets the path. */
  public FakeRequest path(String path) {
    this.path = path;
    return this;
  }

  /** Sets the peer address. */
  public FakeRequest from(String address) {
    this.remoteAddress = address;
    return this;
  }

  @Override
  public Optional<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
  }

  @Override
  public int headerCount(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).size();
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }
}
