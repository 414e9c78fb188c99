package dev.tenantkit.tenancy.spi;

/**
 * The storage of the tenancy module: tenants and API keys, from one backend. In-memory: {@link
 * dev.tenantkit.tenancy.memory.InMemoryTenancyStore}; JDBC: {@link
 * dev.tenantkit.tenancy.jdbc.JdbcTenancyStore}.
 */
public interface TenancyStore {

  /** The tenant storage. */
  TenantStore tenants();

  /** The API key storage. */
  ApiKeyStore apiKeys();
}
