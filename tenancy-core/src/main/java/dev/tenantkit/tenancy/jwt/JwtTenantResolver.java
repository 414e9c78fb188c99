package dev.tenantkit.tenancy.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Scopes;
import dev.tenantkit.tenancy.internal.Bearer;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the tenant from a claim of a verified JWT in {@code Authorization: Bearer}. The keys and
 * the algorithms are fixed by configuration: HS256 with a shared secret, RS256 with one public key,
 * or the public keys of a JWK Set (a document, or a URL that is fetched, cached and refreshed when
 * a token names an unknown {@code kid}). A token cannot choose how it is checked ({@code alg: none}
 * and algorithm confusion are refused). Tokens may carry a {@code kid} and a {@code typ} of {@code
 * JWT}, {@code at+jwt} (RFC 9068 access tokens) or none; any other {@code typ} is refused.
 *
 * <p>Issuer and audience are required unless turned off explicitly with {@link
 * Builder#withoutIssuer()} or {@link Builder#withoutAudience()}, because without them any token the
 * identity provider signs for any application, if it carries the tenant claim, would be accepted;
 * turning one off logs a warning when the resolver is built. Expiry and not-before are checked
 * against the configured clock with a small skew.
 *
 * <pre>{@code
 * TenantResolver jwt = JwtTenantResolver.builder()
 *     .jwkSetUri(URI.create("https://id.example.com/.well-known/jwks.json"))
 *     .issuer("https://id.example.com")
 *     .audience("files-api")
 *     .tenantClaim("tenant_id")
 *     .build();
 * }</pre>
 *
 * Needs nimbus-jose-jwt on the class path (an optional dependency of tenancy-core). Thread-safe; a
 * remote JWK Set is fetched on the calling request's thread (no background thread is started).
 */
public final class JwtTenantResolver implements TenantResolver {
  private static final Logger LOG = LoggerFactory.getLogger(JwtTenantResolver.class);
  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  /**
   * The {@code typ} values accepted, compared without case: a JWT (RFC 7519), an OAuth access token
   * (RFC 9068), each with or without the {@code application/} prefix, or no {@code typ} at all.
   */
  private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES =
      new DefaultJOSEObjectTypeVerifier<>(
          JOSEObjectType.JWT,
          new JOSEObjectType("application/jwt"),
          new JOSEObjectType("at+jwt"),
          new JOSEObjectType("application/at+jwt"),
          null);

  private final ConfigurableJWTProcessor<SecurityContext> processor;
  private final ClaimRules claims;

  private JwtTenantResolver(Builder b, JWSKeySelector<SecurityContext> keySelector) {
    this.claims =
        new ClaimRules(
            b.tenantClaim,
            b.scopeClaim,
            b.defaultScopes,
            b.issuer,
            b.audience,
            b.clockSkew,
            b.clock);
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(TYPES);
    p.setJWSKeySelector(keySelector);
    // Time and audience are checked below against the injected clock, not the system one.
    p.setJWTClaimsSetVerifier((claims, context) -> {});
    this.processor = p;
  }

  /**
   * A builder; exactly one key ({@link Builder#hs256}, {@link Builder#rs256}, {@link
   * Builder#jwkSet} or {@link Builder#jwkSetUri}) is required, and an issuer and an audience unless
   * turned off.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public TenantResolution resolve(RequestView request) {
    Optional<String> token = Bearer.token(request);
    if (token.isEmpty() || !JWT_SHAPE.matcher(token.get()).matches()) {
      return TenantResolution.notApplicable();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token.get(), null);
    } catch (JWKSetUnavailableException e) {
      // Logged because the operator must act (the identity provider is unreachable or answered
      // something that is not a JWK Set); the rate limit keeps this to a few lines a minute.
      LOG.warn("Cannot fetch the JWK Set to verify a token: {}", e.getMessage());
      return TenantResolution.failed(
          DenialReason.CREDENTIAL_CHECK_UNAVAILABLE, "the token's signing key cannot be fetched");
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token is not valid");
    }
    return this.claims.check(claims);
  }

  /** Validating builder of {@link JwtTenantResolver}. Not thread-safe. */
  public static final class Builder {
    /** Asymmetric algorithms a JWK Set may be used with; HMAC and {@code none} never are. */
    private static final Set<String> ASYMMETRIC =
        Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
            "EdDSA");

    private JWSKeySelector<SecurityContext> keySelector;
    private String keyKind;
    private JWKSet jwkSet;
    private URI jwkSetUri;
    private Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.RS256);
    private Duration jwkSetCacheTtl = Duration.ofMinutes(5);
    private Duration jwkSetRefreshInterval = Duration.ofSeconds(30);
    private String tenantClaim = "tenant_id";
    private String scopeClaim = "scope";
    private Set<String> defaultScopes = Set.of(Scopes.ALL);
    private String issuer;
    private boolean issuerOff;
    private String audience;
    private boolean audienceOff;
    private Duration clockSkew = Duration.ofSeconds(30);
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Verifies HS256 signatures with a shared secret. A token's {@code kid} is ignored: there is
     * one key.
     *
     * @param secret at least 32 bytes
     * @throws InvalidInputException if the secret is shorter or a key is already configured
     */
    public Builder hs256(byte[] secret) {
      if (secret == null || secret.length < 32) {
        throw new InvalidInputException("secret", "an HS256 secret needs at least 32 bytes");
      }
      requireNoKey("hs256");
      this.keySelector =
          new SingleKeyJWSKeySelector<>(
              JWSAlgorithm.HS256, new SecretKeySpec(secret.clone(), "HmacSHA256"));
      return this;
    }

    /**
     * Verifies RS256 signatures with the issuer's public key. A token's {@code kid} is ignored:
     * there is one key. For an identity provider that rotates its keys, use {@link #jwkSetUri}.
     *
     * @throws InvalidInputException if a key is already configured
     */
    public Builder rs256(RSAPublicKey publicKey) {
      Objects.requireNonNull(publicKey, "publicKey");
      requireNoKey("rs256");
      this.keySelector = new SingleKeyJWSKeySelector<>(JWSAlgorithm.RS256, publicKey);
      return this;
    }

    /**
     * Verifies signatures with the public keys of a JWK Set document (RFC 7517), parsed once here.
     * A key is chosen by the token's {@code kid} (any key of the right type when the token has
     * none); private parts in the document are dropped.
     *
     * @param json the JWK Set, such as the content of a {@code jwks.json} file
     * @throws InvalidInputException if it is not a JWK Set with at least one public key, or a key
     *     is already configured
     */
    public Builder jwkSet(String json) {
      Objects.requireNonNull(json, "json");
      JWKSet parsed;
      try {
        parsed = JWKSet.parse(json).toPublicJWKSet();
      } catch (ParseException e) {
        throw new InvalidInputException("jwkSet", "is not a JWK Set: " + e.getMessage());
      }
      if (parsed.getKeys().isEmpty()) {
        throw new InvalidInputException("jwkSet", "has no public keys");
      }
      requireNoKey("jwkSet");
      this.jwkSet = parsed;
      return this;
    }

    /**
     * Verifies signatures with the JWK Set published at this URL (an identity provider's {@code
     * jwks_uri}). It is fetched when first needed, not here, so an unreachable identity provider
     * does not stop startup; it is cached for {@link #jwkSetCache}'s time to live, and fetched
     * again early when a token names a {@code kid} the cached set lacks (a key rotation), at most
     * twice per refresh interval so that tokens with made-up {@code kid}s cannot make this service
     * flood the identity provider. A fetch gives up after 2 s to connect and 2 s to read, and reads
     * at most 50 KiB.
     *
     * @param uri an {@code https} URL ({@code http} only for tests and local networks)
     * @throws InvalidInputException if it is not an absolute http(s) URL, or a key is already
     *     configured
     */
    public Builder jwkSetUri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)
          || uri.getHost() == null) {
        throw new InvalidInputException("jwkSetUri", "must be an absolute https URL");
      }
      requireNoKey("jwkSetUri");
      this.jwkSetUri = uri;
      return this;
    }

    /**
     * The algorithms accepted with a JWK Set; default {@code RS256}. Only asymmetric ones (RS*,
     * PS*, ES*, EdDSA) are allowed, so a token can never pick HMAC with a public key as secret.
     *
     * @throws InvalidInputException if the set is empty or names another algorithm
     */
    public Builder jwsAlgorithms(Set<String> names) {
      if (names == null || names.isEmpty()) {
        throw new InvalidInputException("jwsAlgorithms", "must name at least one algorithm");
      }
      Set<JWSAlgorithm> parsed = new HashSet<>();
      for (String name : names) {
        if (!ASYMMETRIC.contains(name)) {
          throw new InvalidInputException(
              "jwsAlgorithms",
              "'" + name + "' is not one of " + new TreeSet<>(ASYMMETRIC) + " (names are exact)");
        }
        parsed.add(JWSAlgorithm.parse(name));
      }
      this.algorithms = Set.copyOf(parsed);
      return this;
    }

    /**
     * How long a fetched JWK Set is used (default 5 minutes), and the refresh interval: at most two
     * fetches start within one interval (default 30 seconds), whatever their reason.
     *
     * @throws InvalidInputException unless 1 s &le; refreshInterval &lt; timeToLive &le; 1 day
     */
    public Builder jwkSetCache(Duration timeToLive, Duration refreshInterval) {
      Objects.requireNonNull(timeToLive, "timeToLive");
      Objects.requireNonNull(refreshInterval, "refreshInterval");
      if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0
          || refreshInterval.compareTo(timeToLive) >= 0
          || timeToLive.compareTo(Duration.ofDays(1)) > 0) {
        throw new InvalidInputException(
            "jwkSetCache", "needs 1 s <= refresh interval < time to live <= 1 day");
      }
      this.jwkSetCacheTtl = timeToLive;
      this.jwkSetRefreshInterval = refreshInterval;
      return this;
    }

    /** The claim that holds the tenant id; default {@code tenant_id}. */
    public Builder tenantClaim(String claim) {
      this.tenantClaim = requireText("tenantClaim", claim);
      return this;
    }

    /** The claim that holds scopes, a space-separated string or a list; default {@code scope}. */
    public Builder scopeClaim(String claim) {
      this.scopeClaim = requireText("scopeClaim", claim);
      return this;
    }

    /** Scopes granted when the token has no scope claim; default full access ({@code *}). */
    public Builder defaultScopes(Set<String> scopes) {
      this.defaultScopes = Scopes.validate(scopes);
      return this;
    }

    /** Requires this {@code iss}. Required unless {@link #withoutIssuer()}. */
    public Builder issuer(String issuer) {
      this.issuer = requireText("issuer", issuer);
      return this;
    }

    /**
     * Accepts any {@code iss}. Only safe when every token the key can verify is meant for this
     * service; {@link #build()} logs a warning.
     */
    public Builder withoutIssuer() {
      this.issuerOff = true;
      return this;
    }

    /**
     * Requires this value in {@code aud} (a string or a list of strings, RFC 7519). Required unless
     * {@link #withoutAudience()}.
     */
    public Builder audience(String audience) {
      this.audience = requireText("audience", audience);
      return this;
    }

    /**
     * Accepts any {@code aud}, or none. Only safe when the key signs tokens for this service alone:
     * with an identity provider shared by several applications, a token issued for any of them
     * would be accepted here. {@link #build()} logs a warning.
     */
    public Builder withoutAudience() {
      this.audienceOff = true;
      return this;
    }

    /** Tolerance for {@code exp} and {@code nbf}; default 30 seconds, at most 5 minutes. */
    public Builder clockSkew(Duration skew) {
      if (skew == null || skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new InvalidInputException("clockSkew", "must be between 0 and 5 minutes");
      }
      this.clockSkew = skew;
      return this;
    }

    /** The time source for expiry checks and the JWK Set cache; tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the resolver; logs a warning for each check turned off.
     *
     * @throws InvalidInputException if no key was configured, an issuer or audience is neither set
     *     nor turned off (or both), or {@link #jwsAlgorithms} was set without a JWK Set
     */
    public JwtTenantResolver build() {
      if (keyKind == null) {
        throw new InvalidInputException(
            "key", "configure hs256(secret), rs256(publicKey), jwkSet(json) or jwkSetUri(uri)");
      }
      requireOneOf("issuer", issuer != null, issuerOff, "withoutIssuer()");
      requireOneOf("audience", audience != null, audienceOff, "withoutAudience()");
      boolean keySet = jwkSet != null || jwkSetUri != null;
      if (!keySet && !algorithms.equals(Set.of(JWSAlgorithm.RS256))) {
        throw new InvalidInputException(
            "jwsAlgorithms", "applies to a JWK Set; " + keyKind + " fixes its own algorithm");
      }
      JWSKeySelector<SecurityContext> selector = keySelector;
      if (jwkSet != null) {
        selector = new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(jwkSet));
      } else if (jwkSetUri != null) {
        selector =
            new JWSVerificationKeySelector<>(
                algorithms,
                RemoteJwkSet.create(jwkSetUri, jwkSetCacheTtl, jwkSetRefreshInterval, clock));
      }
      if (issuerOff) {
        LOG.warn(
            "The JWT resolver accepts tokens of any issuer: the issuer check is turned off."
                + " Only safe if its key verifies no one else's tokens.");
      }
      if (audienceOff) {
        LOG.warn(
            "The JWT resolver accepts tokens for any audience: the audience check is turned off."
                + " Any token its key verifies that carries '{}' is accepted, including tokens an"
                + " identity provider issued for other applications.",
            tenantClaim);
      }
      return new JwtTenantResolver(this, selector);
    }

    private void requireNoKey(String kind) {
      if (keyKind != null) {
        throw new InvalidInputException(
            "key", "only one key may be configured, " + keyKind + " already is");
      }
      keyKind = kind;
    }

    private static void requireOneOf(String field, boolean set, boolean off, String offMethod) {
      if (set == off) {
        throw new InvalidInputException(
            field,
            set
                ? "is set and also turned off with " + offMethod
                : "is required: set the expected value, or call "
                    + offMethod
                    + " to accept any (not recommended)");
      }
    }

    private static String requireText(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidInputException(field, "must not be blank");
      }
      return value.strip();
    }
  }
}
