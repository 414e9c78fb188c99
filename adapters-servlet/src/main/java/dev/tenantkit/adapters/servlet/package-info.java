/**
 * Jakarta Servlet 6 adapter of Tenantkit: {@link dev.tenantkit.adapters.servlet.TenantFilter} binds
 * each request's tenant, {@link dev.tenantkit.adapters.servlet.TenantAdminServlet} is the
 * operator's HTTP API, and {@link dev.tenantkit.adapters.servlet.Problems} writes RFC 9457 problems
 * with stable type URIs.
 */
package dev.tenantkit.adapters.servlet;
