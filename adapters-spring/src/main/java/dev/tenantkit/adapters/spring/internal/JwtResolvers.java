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
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@code jwt} resolver from {@code tenantkit.resolvers.jwt.*}. Kept apart from {@link
 * ResolverChain} so that nimbus-jose-jwt, an optional dependency, is only loaded when the resolver
 * is configured. Stateless.
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
    boolean hasKey = config.rs256PublicKeyLocation() != null;
    if (hasSecret == hasKey) {
      throw new InvalidPropertyException(
          PREFIX + "hs256-secret",
          "or "
              + PREFIX
              + "rs256-public-key-location must be set, and only one of them, when 'jwt' is in"
              + " tenantkit.resolvers.order");
    }
    JwtTenantResolver.Builder builder = JwtTenantResolver.builder().clock(clock);
    if (hasSecret) {
      byte[] secret = config.hs256Secret().getBytes(StandardCharsets.UTF_8);
      InvalidPropertyException.check(PREFIX + "hs256-secret", () -> builder.hs256(secret));
    } else {
      RSAPublicKey key = readPublicKey(config.rs256PublicKeyLocation());
      InvalidPropertyException.check(
          PREFIX + "rs256-public-key-location", () -> builder.rs256(key));
    }
    InvalidPropertyException.check(
        PREFIX + "tenant-claim", () -> builder.tenantClaim(config.tenantClaim()));
    InvalidPropertyException.check(
        PREFIX + "scope-claim", () -> builder.scopeClaim(config.scopeClaim()));
    InvalidPropertyException.check(
        PREFIX + "default-scopes", () -> builder.defaultScopes(config.defaultScopes()));
    InvalidPropertyException.check(
        PREFIX + "clock-skew", () -> builder.clockSkew(config.clockSkew()));
    if (config.issuer() != null) {
      InvalidPropertyException.check(PREFIX + "issuer", () -> builder.issuer(config.issuer()));
    }
    if (config.audience() != null) {
      InvalidPropertyException.check(
          PREFIX + "audience", () -> builder.audience(config.audience()));
    }
    return InvalidPropertyException.check("tenantkit.resolvers.jwt", builder::build);
  }

  private static RSAPublicKey readPublicKey(Resource location) {
    String property = PREFIX + "rs256-public-key-location";
    String pem;
    try (InputStream in = location.getInputStream()) {
      pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InvalidPropertyException(property, "cannot be read: " + e.getMessage(), e);
    }
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
