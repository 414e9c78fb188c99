package dev.tenantkit.tenancy.spi;

/**
 * Finds the tenant of a request. Built-ins come from {@link dev.tenantkit.tenancy.TenantResolvers}
 * and {@link dev.tenantkit.tenancy.jwt.JwtTenantResolver}; they are composed in an explicit order
 * with {@link dev.tenantkit.tenancy.TenantResolvers#chain}.
 *
 * <p>A resolver returns {@link TenantResolution#notApplicable()} when the request carries nothing
 * it reads, and a failure when what it reads is wrong, so that a bad credential is never passed
 * over in favour of a weaker source. Implementations must be thread-safe and must not throw for bad
 * input.
 */
@FunctionalInterface
public interface TenantResolver {

  /** Resolves the tenant of {@code request}. */
  TenantResolution resolve(RequestView request);
}
