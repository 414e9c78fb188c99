/** A plain embedded Jetty 12 app that uses Tenantkit through its public API only. */
package dev.tenantkit.examples.servlet;
