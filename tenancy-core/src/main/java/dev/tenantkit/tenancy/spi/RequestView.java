package dev.tenantkit.tenancy.spi;

import java.util.Optional;

/**
 * The parts of an incoming request that resolvers may read, independent of any web framework.
 * Adapters implement it over their request type.
 */
public interface RequestView {

  /** The first value of a header, matched ignoring case. */
  Optional<String> header(String name);

  /**
   * How many times a header occurs, matched ignoring case. The default sees at most the one value
   * {@link #header} gives; an adapter whose requests keep repeated headers overrides it, so that a
   * credential or tenant header sent twice is refused rather than its first value taken.
   */
  default int headerCount(String name) {
    return header(name).isPresent() ? 1 : 0;
  }

  /**
   * The host the request was sent to, without port, with ASCII letters lower-cased ({@link
   * dev.tenantkit.tenancy.TenantId#asciiLowerCase(String)}, never a Unicode case mapping); empty if
   * unknown.
   */
  String host();

  /** The request path without the context path and query string, starting with {@code /}. */
  String path();

  /**
   * The literal IP address of the immediate TCP peer (the proxy, if there is one). Never an address
   * taken from a forwarding header such as {@code X-Forwarded-For}: a client can write those, and
   * the gateway resolver trusts the tenant header by this address.
   */
  String remoteAddress();
}
