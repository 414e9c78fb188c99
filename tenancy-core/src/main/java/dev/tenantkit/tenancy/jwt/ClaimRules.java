package dev.tenantkit.tenancy.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.Scopes;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.spi.TenantResolution;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * What a verified token's claims must say, and the binding they make: expiry and not-before against
 * the clock with a skew, issuer and audience (null only when the builder turned them off), the
 * tenant claim as given, and the scopes. A snapshot of the builder, so changing the builder later
 * does not change a resolver. Immutable and thread-safe.
 */
record ClaimRules(
    String tenantClaim,
    String scopeClaim,
    Set<String> defaultScopes,
    String issuer,
    String audience,
    Duration clockSkew,
    InstantSource clock) {

  TenantResolution check(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token has no expiry");
    }
    if (!now.isBefore(exp.toInstant().plus(clockSkew))) {
      return TenantResolution.failed(DenialReason.EXPIRED_CREDENTIAL, "the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
      return TenantResolution.failed(DenialReason.INVALID_CREDENTIAL, "the token is not valid yet");
    }
    // Issuer and audience are null here only when the builder turned them off explicitly.
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token's issuer is wrong");
    }
    List<String> aud = claims.getAudience();
    if (audience != null && (aud == null || !aud.contains(audience))) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token is not meant for this service");
    }
    Object rawTenant = claims.getClaim(tenantClaim);
    if (!(rawTenant instanceof String tenant)) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token has no '" + tenantClaim + "' claim");
    }
    TenantId tenantId;
    try {
      tenantId = TenantId.of(tenant);
    } catch (InvalidTenantIdException e) {
      return TenantResolution.failed(DenialReason.MALFORMED_TENANT_ID, e.getMessage());
    }
    Set<String> scopes;
    try {
      scopes = scopes(claims.getClaim(scopeClaim));
    } catch (InvalidInputException e) {
      return TenantResolution.failed(
          DenialReason.INVALID_CREDENTIAL, "the token's scopes are malformed");
    }
    return TenantResolution.resolved(
        new TenantBinding(tenantId, scopes, TenantBinding.Credential.JWT, claims.getSubject()));
  }

  private Set<String> scopes(Object claim) {
    if (claim == null) {
      return defaultScopes;
    }
    if (claim instanceof String s) {
      return Scopes.validate(Arrays.stream(s.strip().split("\\s+")).toList());
    }
    if (claim instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance)) {
      return Scopes.validate(c.stream().map(String.class::cast).toList());
    }
    throw new InvalidInputException("scope", "must be a string or a list of strings");
  }
}
