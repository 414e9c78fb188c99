/**
 * Jakarta Servlet 6 adapter of Tenantkit: {@link dev.tenantkit.adapters.servlet.TenantFilter} binds
 * each request's tenant, {@link dev.tenantkit.adapters.servlet.UsageMeteringFilter} meters its API
 * calls, {@link dev.tenantkit.adapters.servlet.QuotaFilter} enforces its quotas and rate limits,
 * {@link dev.tenantkit.adapters.servlet.TenantAdminServlet} is the operator's HTTP API (which other
 * modules extend with {@link dev.tenantkit.adapters.servlet.AdminRoutes}, such as {@link
 * dev.tenantkit.adapters.servlet.MeteringAdminRoutes}), and {@link
 * dev.tenantkit.adapters.servlet.Problems} writes RFC 9457 problems with stable type URIs.
 */
package dev.tenantkit.adapters.servlet;
