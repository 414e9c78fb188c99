package dev.tenantkit.adapters.servlet;

import java.util.List;

/**
 * A group of routes another module adds to the operator API of {@link TenantAdminServlet}, so that
 * every operator route lives under one servlet, one operator key and one problem format:
 *
 * <pre>{@code
 * TenantAdminServlet.builder(tenancy, operatorKey)
 *     .routes(MeteringAdminRoutes.builder(tenancy.tenants()).metering(metering).build())
 *     .build();
 * }</pre>
 *
 * <p>The servlet checks the operator key before any route runs, answers an unknown path with 404
 * {@code route-not-found} and a known path with another method with 405 {@code method-not-allowed},
 * and turns a {@link dev.tenantkit.tenancy.TenantkitException} thrown by a handler into its problem
 * (see {@link Problems}). Implementations are immutable and thread-safe.
 */
public interface AdminRoutes {

  /** The routes, relative to the servlet path, such as {@code GET /usage}. */
  List<AdminRoute> routes();
}
