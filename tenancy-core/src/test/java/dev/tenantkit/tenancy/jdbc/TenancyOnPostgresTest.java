package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.ApiKeyVerification;
import dev.tenantkit.tenancy.ApiKeyVerification.Reason;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tenancy module end to end on PostgreSQL, under row-level security. */
class TenancyOnPostgresTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  @Test
  void createIssueVerifyRevokeDeleteAndPurge() {
    FakeClock clock = FakeClock.create();
    JdbcTenancyStore store = JdbcTenancyStore.builder(PostgresFixture.newDatabase()).build();
    Tenancy tenancy = Tenancy.builder().store(store).clock(clock).build();

    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
    tenancy.tenants().create(NewTenant.of(GLOBEX, "Globex", "free"));
    TenantSettings settings =
        TenantSettings.builder()
            .webhookUrl(URI.create("https://hooks.example.com/acme"))
            .brandingJson("{\"color\":\"#ff0000\"}")
            .build();
    assertThat(tenancy.tenants().updateSettings(ACME, settings).settings()).isEqualTo(settings);
    assertThat(tenancy.tenants().get(ACME).settings()).isEqualTo(settings);

    IssuedApiKey key = tenancy.apiKeys().issue(ACME, ApiKeyRequest.fullAccess("ci"));
    IssuedApiKey globexKey = tenancy.apiKeys().issue(GLOBEX, ApiKeyRequest.fullAccess("ci"));
    clock.advance(Duration.ofMinutes(5));
    ApiKeyVerification verified = tenancy.apiKeys().verify(key.secret());
    assertThat(verified).isInstanceOf(ApiKeyVerification.Valid.class);
    assertThat(((ApiKeyVerification.Valid) verified).key().tenantId()).isEqualTo(ACME);
    assertThat(tenancy.apiKeys().list(ACME).get(0).lastUsedAt()).isEqualTo(clock.instant());

    // Acme's key id and secret presented as Globex's: not found, though the id exists elsewhere.
    String forged = key.secret().replace("tk.acme.", "tk.globex.");
    assertThat(tenancy.apiKeys().verify(forged))
        .isEqualTo(new ApiKeyVerification.Invalid(Reason.UNKNOWN));
    assertThat(tenancy.apiKeys().list(GLOBEX))
        .extracting(k -> k.id())
        .containsExactly(globexKey.key().id());

    tenancy.apiKeys().revoke(ACME, key.key().id());
    assertThat(tenancy.apiKeys().verify(key.secret()))
        .isEqualTo(new ApiKeyVerification.Invalid(Reason.REVOKED));

    tenancy.tenants().delete(ACME);
    assertThat(tenancy.tenants().get(ACME).status()).isEqualTo(TenantStatus.DELETED);
    tenancy.tenants().purge(ACME);
    assertThat(tenancy.tenants().find(ACME)).isEmpty();
    assertThat(store.apiKeys().list(ACME)).isEmpty();
    assertThat(store.apiKeys().find(ACME, key.key().id())).isEmpty();
    assertThat(tenancy.apiKeys().verify(globexKey.secret()))
        .isInstanceOf(ApiKeyVerification.Valid.class);

    // The id and name are free again after the purge.
    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
    assertThat(tenancy.apiKeys().list(ACME)).isEqualTo(List.of());
  }
}
