/** Implementation of the servlet adapter; not a public contract and may change at any time. */
package dev.tenantkit.adapters.servlet.internal;
