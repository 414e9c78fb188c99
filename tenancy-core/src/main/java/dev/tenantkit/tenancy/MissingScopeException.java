package dev.tenantkit.tenancy;

/** The credential of the current request does not grant a scope the operation needs. */
public final class MissingScopeException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  private final String scope;

  /**
   * @param scope the scope that was required
   */
  public MissingScopeException(String scope) {
    super("missing-scope", "the credential lacks the scope '" + scope + "'");
    this.scope = scope;
  }

  /** The scope that was required. */
  public String scope() {
    return scope;
  }
}
