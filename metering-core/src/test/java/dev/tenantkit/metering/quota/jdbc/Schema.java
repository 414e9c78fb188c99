package dev.tenantkit.metering.quota.jdbc;

import java.util.List;

/** The quota schema's tables, for the H2 and PostgreSQL tests. */
final class Schema {
  static final List<String> TABLES =
      List.of(
          "tenantkit_quota_counters",
          "tenantkit_quota_buckets",
          "tenantkit_quota_thresholds",
          "tenantkit_quota_overrides");

  private Schema() {}
}
