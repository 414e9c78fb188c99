package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.tenancy.jwt.JwtTenantResolver;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@code jwt} resolver from {@code tenantkit.resolvers.jwt.*}; an issuer and an audience
 * are required unless {@code require-issuer}/{@code require-audience} is false. Kept apart from
 * {@link ResolverChain} so that nimbus-jose-jwt, an optional dependency, is only loaded when the
 * resolver is configured. Stateless.
 */
final class JwtResolvers {
  private static final String PREFIX = "tenantkit.resolvers.jwt.";

  private JwtResolvers() {}

  static TenantResolver build(TenantkitProperties.Jwt config, InstantSource clock) {
    if (!ClassUtils.isPresent("com.nimbusds.jwt.SignedJWT", JwtResolvers.class.getClassLoader())) {
      throw new InvalidPropertyException(
          "tenantkit.resolvers.order",
          "lists 'jwt', which needs com.nimbusds:nimbus-jose-jwt on the class path");
    }
    boolean hasSecret = config.hs256Secret() != null && !config.hs256Secret().isEmpty();
    int keys =
        (hasSecret ? 1 : 0)
            + (config.rs256PublicKeyLocation() != null ? 1 : 0)
            + (config.jwkSetUri() != null ? 1 : 0)
            + (config.jwkSetLocation() != null ? 1 : 0);
    if (keys != 1) {
      throw new InvalidPropertyException(
          PREFIX + "hs256-secret",
          "or one of "
              + PREFIX
              + "rs256-public-key-location, "
              + PREFIX
              + "jwk-set-uri and "
              + PREFIX
              + "jwk-set-location must be set, and only one of the four, when 'jwt' is in"
              + " tenantkit.resolvers.order");
    }
    JwtTenantResolver.Builder builder = JwtTenantResolver.builder().clock(clock);
    if (hasSecret) {
      byte[] secret = config.hs256Secret().getBytes(StandardCharsets.UTF_8);
      InvalidPropertyException.check(PREFIX + "hs256-secret", () -> builder.hs256(secret));
    } else if (config.rs256PublicKeyLocation() != null) {
      RSAPublicKey key = readPublicKey(config.rs256PublicKeyLocation());
      InvalidPropertyException.check(
          PREFIX + "rs256-public-key-location", () -> builder.rs256(key));
    } else if (config.jwkSetUri() != null) {
      InvalidPropertyException.check(
          PREFIX + "jwk-set-uri", () -> builder.jwkSetUri(config.jwkSetUri()));
    } else {
      String json = read(PREFIX + "jwk-set-location", config.jwkSetLocation());
      InvalidPropertyException.check(PREFIX + "jwk-set-location", () -> builder.jwkSet(json));
    }
    if (!config.jwsAlgorithms().equals(Set.of("RS256"))) {
      if (config.jwkSetUri() == null && config.jwkSetLocation() == null) {
        throw new InvalidPropertyException(
            PREFIX + "jws-algorithms",
            "applies only with " + PREFIX + "jwk-set-uri or " + PREFIX + "jwk-set-location");
      }
      InvalidPropertyException.check(
          PREFIX + "jws-algorithms", () -> builder.jwsAlgorithms(config.jwsAlgorithms()));
    }
    InvalidPropertyException.check(
        PREFIX + "jwk-set-refresh-interval",
        () -> builder.jwkSetCache(config.jwkSetCacheTtl(), config.jwkSetRefreshInterval()));
    InvalidPropertyException.check(
        PREFIX + "tenant-claim", () -> builder.tenantClaim(config.tenantClaim()));
    InvalidPropertyException.check(
        PREFIX + "scope-claim", () -> builder.scopeClaim(config.scopeClaim()));
    InvalidPropertyException.check(
        PREFIX + "default-scopes", () -> builder.defaultScopes(config.defaultScopes()));
    InvalidPropertyException.check(
        PREFIX + "clock-skew", () -> builder.clockSkew(config.clockSkew()));
    required(
        "issuer", config.issuer(), config.requireIssuer(), builder::issuer, builder::withoutIssuer);
    required(
        "audience",
        config.audience(),
        config.requireAudience(),
        builder::audience,
        builder::withoutAudience);
    return InvalidPropertyException.check("tenantkit.resolvers.jwt", builder::build);
  }

  /**
   * Sets the expected issuer or audience, or turns its check off when {@code require-<name>} is
   * false; anything else stops startup naming the property to set.
   */
  private static void required(
      String name, String value, boolean required, Function<String, ?> set, Runnable turnOff) {
    String requireProperty = PREFIX + "require-" + name;
    if (!required) {
      if (value != null) {
        throw new InvalidPropertyException(
            requireProperty, "is false but " + PREFIX + name + " is set: remove one of them");
      }
      turnOff.run();
      return;
    }
    if (value == null || value.isBlank()) {
      throw new InvalidPropertyException(
          PREFIX + name,
          "must be set: "
              + (name.equals("audience")
                  ? "tokens the identity provider issued for other applications"
                  : "tokens of any issuer the key verifies")
              + " would be accepted otherwise (set "
              + requireProperty
              + "=false to accept any "
              + name
              + ", not recommended)");
    }
    InvalidPropertyException.check(PREFIX + name, () -> set.apply(value));
  }

  private static String read(String property, Resource location) {
    try (InputStream in = location.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPropertyException(property, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static RSAPublicKey readPublicKey(Resource location) {
    String property = PREFIX + "rs256-public-key-location";
    String pem = read(property, location);
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new InvalidPropertyException(
          property, "must point to a PEM file with a '" + begin + "' block");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw new InvalidPropertyException(property, "does not hold an RSA public key", e);
    }
  }
}
