package dev.tenantkit.tenancy.spi;

import java.util.Optional;

/**
 * The parts of an incoming request that resolvers may read, independent of any web framework.
 * Adapters implement it over their request type.
 */
public interface RequestView {

  /** The first value of a header, matched ignoring case. */
  Optional<String> header(String name);

  /** The host the request was sent to, without port, lower case; empty if unknown. */
  String host();

  /** The request path without the context path and query string, starting with {@code /}. */
  String path();

  /** The address of the immediate peer (the proxy, if there is one). */
  String remoteAddress();
}
