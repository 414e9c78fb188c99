package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.AdminApi;
import dev.tenantkit.adapters.servlet.internal.OperatorKey;
import dev.tenantkit.adapters.servlet.internal.TenantRoutes;
import dev.tenantkit.tenancy.Tenancy;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's HTTP API for tenants and their API keys, for the platform's own staff and tooling,
 * not for tenants. Mount it at {@code /admin/*}; routes are relative to the servlet path:
 *
 * <pre>
 * POST   /tenants                          create             201 + Location, tenant
 * GET    /tenants?status=&amp;cursor=&amp;limit=  list (limit 50)     {"items":[...],"nextCursor":...}
 * GET    /tenants/{id}                     read               tenant
 * PATCH  /tenants/{id}                     name, plan, settings tenant
 * DELETE /tenants/{id}                     soft delete        tenant
 * POST   /tenants/{id}/suspend             suspend            tenant
 * POST   /tenants/{id}/reactivate          reactivate         tenant
 * POST   /tenants/{id}/purge               purge a deleted one 204
 * POST   /tenants/{id}/api-keys            issue a key        201, key with its secret
 * GET    /tenants/{id}/api-keys            list keys          {"items":[...]}
 * DELETE /tenants/{id}/api-keys/{keyId}    revoke             key
 * </pre>
 *
 * Tenants are written as {@link TenantView}. Every request must carry {@code Authorization: Bearer
 * <operator key>}; the key is compared in constant time, and a tenant's API key is never accepted.
 * Bodies are JSON of at most 64 KiB, read strictly (unknown members and wrong types are refused);
 * all bad input is answered with an RFC 9457 problem and a 4xx (see {@link Problems}), and input is
 * checked in full before anything is changed. Answers carry {@code Cache-Control: no-store}.
 *
 * <p>Other modules add their operator routes to the same servlet with {@link
 * Builder#routes(AdminRoutes...)}, such as {@link MeteringAdminRoutes}; they share the operator
 * key, the 404/405 answers and the problem format.
 *
 * <p>Thread-safe.
 */
public final class TenantAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final AdminApi api;

  private TenantAdminServlet(AdminApi api) {
    this.api = api;
  }

  /**
   * A builder of the servlet.
   *
   * @param tenancy the tenants and keys to administer
   * @param operatorKey the shared secret operators present; at least 16 characters, no whitespace
   * @throws IllegalArgumentException if the operator key is shorter than 16 characters or contains
   *     whitespace or control characters
   * @throws NullPointerException if {@code tenancy} is null
   */
  public static Builder builder(Tenancy tenancy, String operatorKey) {
    return new Builder(Objects.requireNonNull(tenancy, "tenancy"), OperatorKey.of(operatorKey));
  }

  /**
   * Answers every method itself, since the admin API uses {@code PATCH}, which {@link HttpServlet}
   * does not dispatch.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    api.handle(request, response);
  }

  /** Builder of {@link TenantAdminServlet}. Not thread-safe. */
  public static final class Builder {
    private final Tenancy tenancy;
    private final OperatorKey operatorKey;
    private final List<AdminRoutes> extensions = new ArrayList<>();

    private Builder(Tenancy tenancy, OperatorKey operatorKey) {
      this.tenancy = tenancy;
      this.operatorKey = operatorKey;
    }

    /**
     * Adds routes of another module, served after the built-in tenant routes under the same
     * operator key.
     *
     * @throws NullPointerException if a group is null
     */
    public Builder routes(AdminRoutes... groups) {
      for (AdminRoutes group : groups) {
        extensions.add(Objects.requireNonNull(group, "routes"));
      }
      return this;
    }

    /**
     * Builds the servlet.
     *
     * @throws IllegalArgumentException if two routes have the same method and patterns that match
     *     the same path, such as an added {@code GET /tenants/stats} next to the built-in {@code
     *     GET /tenants/{id}}
     */
    public TenantAdminServlet build() {
      List<AdminRoute> all = new ArrayList<>(new TenantRoutes(tenancy).routes());
      for (AdminRoutes group : extensions) {
        all.addAll(group.routes());
      }
      return new TenantAdminServlet(new AdminApi(operatorKey, all));
    }
  }
}
