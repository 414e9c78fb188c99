package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.spi.RequestView;
import java.util.Locale;
import java.util.Optional;

/** Reads the token of an {@code Authorization: Bearer} header. */
public final class Bearer {
  private static final String SCHEME = "bearer ";

  private Bearer() {}

  /** The bearer token, if the request has a well-formed {@code Authorization: Bearer} header. */
  public static Optional<String> token(RequestView request) {
    return request
        .header("Authorization")
        .filter(h -> h.length() > SCHEME.length())
        .filter(h -> h.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
        .map(h -> h.substring(SCHEME.length()).strip())
        .filter(t -> !t.isEmpty());
  }
}
