package dev.tenantkit.tenancy;

import java.util.Optional;

/**
 * Creates tenants and moves them through their lifecycle: create, rename, change plan, change
 * settings, suspend, reactivate, delete (soft) and purge. Ids are immutable; names are unique
 * ignoring case, including among deleted tenants until they are purged.
 *
 * <p>Every change is a compare-and-set on {@link Tenant#version()}, so concurrent changes from
 * several threads or app instances never overwrite each other. Listeners hear of a change after it
 * is stored. Implementations are thread-safe. Obtain one from {@link Tenancy#tenants()}.
 */
public interface TenantService {

  /**
   * @throws InvalidInputException if the name or plan id is invalid
   * @throws ConflictException if the id or the name is taken
   */
  Tenant create(NewTenant tenant);

  /** The tenant with this id, in any status, or empty when there is none. */
  Optional<Tenant> find(TenantId id);

  /**
   * @throws TenantNotFoundException if there is no such tenant
   */
  Tenant get(TenantId id);

  /**
   * Lists tenants ordered by id.
   *
   * @param status only tenants in this status, or {@code null} for all but deleted ones
   * @param cursor {@code null} for the first page, else {@link Page#nextCursor()} of the previous
   * @param limit page size, 1 to 1000
   * @throws InvalidInputException if the cursor or limit is invalid
   */
  Page<Tenant> list(TenantStatus status, String cursor, int limit);

  /**
   * Changes name, plan and settings in one compare-and-set: all of them or, when any is invalid or
   * the name is taken, none.
   *
   * @throws InvalidInputException if a component is invalid
   * @throws ConflictException if another tenant has the name
   * @throws TenantNotFoundException if there is no such tenant
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant update(TenantId id, TenantUpdate update);

  /**
   * Same as {@code update(id, new TenantUpdate(name, null, null))}.
   *
   * @throws ConflictException if another tenant has the name
   * @throws TenantNotFoundException if there is no such tenant
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant rename(TenantId id, String name);

  /**
   * @throws TenantNotFoundException if there is no such tenant
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant changePlan(TenantId id, String planId);

  /**
   * @throws TenantNotFoundException if there is no such tenant
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant updateSettings(TenantId id, TenantSettings settings);

  /**
   * Refuses the tenant's requests from now on; idempotent.
   *
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant suspend(TenantId id);

  /**
   * Lets a suspended tenant serve requests again; idempotent.
   *
   * @throws TenantStateException if the tenant is deleted
   */
  Tenant reactivate(TenantId id);

  /** Soft-deletes the tenant: it is refused like an unknown one until purged; idempotent. */
  Tenant delete(TenantId id);

  /**
   * Removes a deleted tenant and its data for good: first every {@link
   * dev.tenantkit.tenancy.spi.TenantPurger} removes its module's data, then the tenant and its API
   * keys go, and listeners hear {@link TenantEvent.Type#PURGED}. Its id may then be used again.
   *
   * @throws TenantStateException if the tenant is not deleted first
   * @throws PurgeFailedException if a purger failed (a {@link TenantkitException} of a purger, such
   *     as a quota store that is unavailable, is thrown as it is); the tenant is then still there,
   *     deleted, and the purge can be retried
   */
  void purge(TenantId id);
}
