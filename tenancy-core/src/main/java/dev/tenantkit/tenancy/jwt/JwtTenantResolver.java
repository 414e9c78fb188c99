package dev.tenantkit.tenancy.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.Scopes;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.internal.Bearer;
import dev.tenantkit.tenancy.spi.RequestView;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves the tenant from a claim of a verified JWT in {@code Authorization: Bearer}. The key and
 * its algorithm are fixed by configuration (HS256 with a shared secret, or RS256 with a public
 * key), so a token cannot choose how it is checked ({@code alg: none} and algorithm confusion are
 * refused). Expiry and not-before are checked against the configured clock with a small skew;
 * issuer and audience are checked when configured.
 *
 * <pre>{@code
 * TenantResolver jwt = JwtTenantResolver.builder()
 *     .hs256(secret)              // or .rs256(publicKey)
 *     .issuer("https://id.example.com")
 *     .tenantClaim("tenant_id")
 *     .build();
 * }</pre>
 *
 * Needs nimbus-jose-jwt on the class path (an optional dependency of tenancy-core). Thread-safe.
 */
public final class JwtTenantResolver implements TenantResolver {
  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final ConfigurableJWTProcessor<SecurityContext> processor;
  private final Settings config;

  private JwtTenantResolver(Builder b) {
    this.config =
        new Settings(
            b.tenantClaim,
            b.scopeClaim,
            b.defaultScopes,
            b.issuer,
            b.audience,
            b.clockSkew,
            b.clock);
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithm, b.keySource));
    // Time and audience are checked below against the injected clock, not the system one.
    p.setJWTClaimsSetVerifier((claims, context) -> {});
    this.processor = p;
  }

  /** A builder; exactly one of {@link Builder#hs256} or {@link Builder#rs256} is required. */
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
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token is not valid");
    }
    return check(claims);
  }

  private TenantResolution check(JWTClaimsSet claims) {
    Instant now = config.clock().instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token has no expiry");
    }
    if (!now.isBefore(exp.toInstant().plus(config.clockSkew()))) {
      return TenantResolution.failed(DenialReason.EXPIRED_CREDENTIAL, "the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(config.clockSkew()).isBefore(nbf.toInstant())) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token is not valid yet");
    }
    if (config.issuer() != null && !config.issuer().equals(claims.getIssuer())) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token's issuer is wrong");
    }
    List<String> audience = claims.getAudience();
    if (config.audience() != null && (audience == null || !audience.contains(config.audience()))) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token is not meant for this service");
    }
    Object rawTenant = claims.getClaim(config.tenantClaim());
    if (!(rawTenant instanceof String tenant)) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token has no '" + config.tenantClaim() + "' claim");
    }
    TenantId tenantId;
    try {
      tenantId = TenantId.of(tenant);
    } catch (InvalidTenantIdException e) {
      return TenantResolution.failed(DenialReason.MALFORMED_TENANT_ID, e.getMessage());
    }
    Set<String> scopes;
    try {
      scopes = scopes(claims.getClaim(config.scopeClaim()));
    } catch (InvalidInputException e) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token's scopes are malformed");
    }
    return TenantResolution.resolved(
        new TenantBinding(tenantId, scopes, TenantBinding.Credential.JWT, claims.getSubject()));
  }

  private Set<String> scopes(Object claim) {
    if (claim == null) {
      return config.defaultScopes();
    }
    if (claim instanceof String s) {
      return Scopes.validate(Arrays.stream(s.strip().split("\\s+")).toList());
    }
    if (claim instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance)) {
      return Scopes.validate(c.stream().map(String.class::cast).toList());
    }
    throw new InvalidInputException("scope", "must be a string or a list of strings");
  }

  /** A snapshot of the builder, so changing the builder later does not change this resolver. */
  private record Settings(
      String tenantClaim,
      String scopeClaim,
      Set<String> defaultScopes,
      String issuer,
      String audience,
      Duration clockSkew,
      InstantSource clock) {}

  /** Validating builder of {@link JwtTenantResolver}. Not thread-safe. */
  public static final class Builder {
    private JWSAlgorithm algorithm;
    private JWKSource<SecurityContext> keySource;
    private String tenantClaim = "tenant_id";
    private String scopeClaim = "scope";
    private Set<String> defaultScopes = Set.of(Scopes.ALL);
    private String issuer;
    private String audience;
    private Duration clockSkew = Duration.ofSeconds(30);
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Verifies HS256 signatures with a shared secret.
     *
     * @param secret at least 32 bytes
     */
    public Builder hs256(byte[] secret) {
      if (secret == null || secret.length < 32) {
        throw new InvalidInputException("secret", "an HS256 secret needs at least 32 bytes");
      }
      requireNoKey();
      this.algorithm = JWSAlgorithm.HS256;
      this.keySource = new ImmutableSecret<>(secret.clone());
      return this;
    }

    /** Verifies RS256 signatures with the issuer's public key. */
    public Builder rs256(RSAPublicKey publicKey) {
      Objects.requireNonNull(publicKey, "publicKey");
      requireNoKey();
      this.algorithm = JWSAlgorithm.RS256;
      this.keySource = new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(publicKey).build()));
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

    /** Requires this {@code iss}; default any. */
    public Builder issuer(String issuer) {
      this.issuer = requireText("issuer", issuer);
      return this;
    }

    /** Requires this value in {@code aud}; default any. */
    public Builder audience(String audience) {
      this.audience = requireText("audience", audience);
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

    /** The time source for expiry checks; tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws InvalidInputException if no key was configured
     */
    public JwtTenantResolver build() {
      if (keySource == null) {
        throw new InvalidInputException("key", "configure hs256(secret) or rs256(publicKey)");
      }
      return new JwtTenantResolver(this);
    }

    private void requireNoKey() {
      if (keySource != null) {
        throw new InvalidInputException("key", "only one verification key may be configured");
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
