package dev.tenantkit.tenancy.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.tenantkit.tenancy.InvalidInputException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * The keys of a JWK Set fetched from a URL, built from nimbus's own sources: the URL source, under
 * a rate limiter (at most two fetches start per refresh interval), under a cache (time to live). It
 * does what nimbus's {@code JWKSetBasedJWKSource} does (serve from the cache; when no key matches,
 * refresh once unless another thread already did), but reads the time from the resolver's clock
 * instead of the system's, so that expiry, refresh and rate limit follow one clock and tests can
 * drive them. No refresh-ahead: that would need a background thread. Thread-safe (the nimbus
 * sources are).
 */
final class RemoteJwkSet implements JWKSource<SecurityContext> {
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int READ_TIMEOUT_MS = 2_000;
  private static final int SIZE_LIMIT_BYTES = 50 * 1024;

  /** How long a request waits for another thread's fetch of the same set. */
  private static final long REFRESH_WAIT_MS = READ_TIMEOUT_MS + CONNECT_TIMEOUT_MS;

  private final JWKSetSource<SecurityContext> source;
  private final InstantSource clock;

  private RemoteJwkSet(JWKSetSource<SecurityContext> source, InstantSource clock) {
    this.source = source;
    this.clock = clock;
  }

  static RemoteJwkSet create(
      URI uri, Duration timeToLive, Duration refreshInterval, InstantSource clock) {
    JWKSetSource<SecurityContext> url;
    try {
      url =
          new URLBasedJWKSetSource<>(
              uri.toURL(),
              new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES));
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new InvalidInputException("jwkSetUri", "is not a URL: " + e.getMessage());
    }
    JWKSetSource<SecurityContext> limited =
        new RateLimitedJWKSetSource<>(url, refreshInterval.toMillis(), null);
    JWKSetSource<SecurityContext> cached =
        new CachingJWKSetSource<>(limited, timeToLive.toMillis(), REFRESH_WAIT_MS, null);
    return new RemoteJwkSet(cached, clock);
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    long now = clock.millis();
    JWKSet keys = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
    List<JWK> match = selector.select(keys);
    if (match.isEmpty()) {
      // An unknown kid may be a rotated key: fetch again, unless another request already replaced
      // the set this one saw (the reference comparison), and within the rate limit.
      JWKSet fresher =
          source.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(keys), now, context);
      match = selector.select(fresher);
    }
    return match;
  }
}
