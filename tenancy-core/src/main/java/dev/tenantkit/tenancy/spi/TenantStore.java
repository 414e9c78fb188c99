package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantStatus;
import java.util.List;
import java.util.Optional;

/**
 * Storage of tenants: a minimal set of primitives; the lifecycle rules live in the core. Must be
 * thread-safe and safe to share between app instances (JDBC). Every implementation passes the
 * contract suite {@code TenancyStoreContract} from the tenancy-core test-jar.
 */
public interface TenantStore {

  /**
   * Stores a new tenant.
   *
   * @throws ConflictException if the id is taken, or the name is taken ignoring case
   */
  void insert(Tenant tenant);

  /** The tenant with this id in any status. */
  Optional<Tenant> find(TenantId id);

  /**
   * Replaces a tenant if its stored version is still {@code expectedVersion}.
   *
   * @return false if the tenant is missing or its version moved on
   * @throws ConflictException if the new name is taken by another tenant
   */
  boolean update(Tenant tenant, long expectedVersion);

  /**
   * Tenants ordered by id.
   *
   * @param status only this status, or {@code null} for all but {@code DELETED}
   * @param after only ids greater than this, or {@code null}
   * @param limit at most this many
   */
  List<Tenant> list(TenantStatus status, TenantId after, int limit);

  /** Removes the tenant row for good; returns whether there was one. */
  boolean delete(TenantId id);
}
