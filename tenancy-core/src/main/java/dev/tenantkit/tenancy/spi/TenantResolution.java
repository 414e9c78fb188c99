package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.TenantBinding;
import java.util.Objects;

/**
 * What a {@link TenantResolver} made of a request: a tenant, nothing (the request carries nothing
 * this resolver reads), or a failure with its reason.
 */
public sealed interface TenantResolution {

  /** The request carries nothing this resolver understands. */
  static TenantResolution notApplicable() {
    return NotApplicable.INSTANCE;
  }

  /** The resolver read something and it was wrong. */
  static TenantResolution failed(DenialReason reason, String detail) {
    return new Failed(reason, detail);
  }

  /** The resolver found a tenant. */
  static TenantResolution resolved(TenantBinding binding) {
    return new Resolved(binding);
  }

  /**
   * A tenant was found.
   *
   * @param binding the tenant, the granted scopes and the credential kind
   */
  record Resolved(TenantBinding binding) implements TenantResolution {
    /** Checks the binding is present. */
    public Resolved {
      Objects.requireNonNull(binding, "binding");
    }

    /** Whether a credential proved the tenant (not just a subdomain or path naming it). */
    public boolean authenticated() {
      return binding.credential() != TenantBinding.Credential.NONE;
    }
  }

  /**
   * Resolution failed.
   *
   * @param reason why
   * @param detail a message fit for the caller; never contains a secret
   */
  record Failed(DenialReason reason, String detail) implements TenantResolution {
    /** Checks the components are present. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Nothing to resolve from. */
  enum NotApplicable implements TenantResolution {
    /** The only instance. */
    INSTANCE
  }
}
