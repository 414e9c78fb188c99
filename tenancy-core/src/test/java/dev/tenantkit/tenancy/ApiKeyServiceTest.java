package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.ApiKeyVerification.Invalid;
import dev.tenantkit.tenancy.ApiKeyVerification.Reason;
import dev.tenantkit.tenancy.ApiKeyVerification.Valid;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final FakeClock clock = FakeClock.create();
  private final InMemoryTenancyStore store = InMemoryTenancyStore.create();
  private ApiKeyService keys;

  @BeforeEach
  void setUp() {
    Tenancy tenancy = Tenancy.builder().store(store).clock(clock).build();
    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
    tenancy.tenants().create(NewTenant.of(GLOBEX, "Globex", "free"));
    keys = tenancy.apiKeys();
  }

  @Test
  void anIssuedKeyVerifiesAndItsSecretIsStoredOnlyAsAHash() {
    IssuedApiKey issued = keys.issue(ACME, new ApiKeyRequest("ci", Set.of("usage:read"), null));
    assertThat(issued.secret()).matches("tk\\.acme\\.[A-Za-z0-9]{12}\\.[A-Za-z0-9]{32}");
    assertThat(issued.toString()).doesNotContain(issued.secret());
    StoredApiKey stored = store.apiKeys().find(ACME, issued.key().id()).orElseThrow();
    assertThat(stored.secretHash()).hasSize(64).doesNotContain(issued.secret().substring(21));

    ApiKeyVerification v = keys.verify(issued.secret());
    assertThat(v).isInstanceOf(Valid.class);
    ApiKey key = ((Valid) v).key();
    assertThat(key.tenantId()).isEqualTo(ACME);
    assertThat(key.scopes()).containsExactly("usage:read");
  }

  @Test
  void defaultsToFullAccessAndValidatesTheRequest() {
    assertThat(keys.issue(ACME, new ApiKeyRequest(null, null, null)).key().scopes())
        .containsExactly(Scopes.ALL);
    assertThatThrownBy(() -> keys.issue(ACME, new ApiKeyRequest("k", Set.of("BAD SCOPE"), null)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> keys.issue(ACME, new ApiKeyRequest("k", null, clock.instant().minusSeconds(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> keys.issue(TenantId.of("ghost"), ApiKeyRequest.fullAccess("k")))
        .isInstanceOf(TenantNotFoundException.class);
    assertThat(keys.list(ACME)).hasSize(1);
  }

  @Test
  void anExpiryPastTheYear9999IsInvalidInputAndNothingIsIssued() {
    for (String late :
        new String[] {
          "+10000-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z"
        }) {
      assertThatThrownBy(() -> keys.issue(ACME, new ApiKeyRequest("k", null, Instant.parse(late))))
          .as(late)
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
    }
    assertThatThrownBy(() -> keys.issue(ACME, new ApiKeyRequest("k", null, Instant.MAX)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(keys.list(ACME)).isEmpty();
    Instant last = Instant.parse("9999-12-31T23:59:59.999999Z");
    assertThat(keys.issue(ACME, new ApiKeyRequest("k", null, last)).key().expiresAt())
        .isEqualTo(last);
  }

  @Test
  void aWrongSecretOrAnotherTenantsNameIsUnknown() {
    IssuedApiKey issued = keys.issue(ACME, ApiKeyRequest.fullAccess("k"));
    String s = issued.secret();
    String wrongSecret = s.substring(0, s.length() - 1) + (s.endsWith("A") ? "B" : "A");
    assertThat(keys.verify(wrongSecret)).isEqualTo(new Invalid(Reason.UNKNOWN));
    // The same key id and secret presented as another tenant's key finds nothing.
    assertThat(keys.verify(s.replace("tk.acme.", "tk.globex.")))
        .isEqualTo(new Invalid(Reason.UNKNOWN));
  }

  @Test
  void malformedKeysAreMalformed() {
    for (String bad :
        new String[] {
          "",
          "tk.",
          "tk.acme",
          "tk.acme.x.y",
          "tk.ACME.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "tk.acme.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.extra",
          "xx.acme.a.b",
          "tk." + "a".repeat(300),
          null
        }) {
      assertThat(keys.verify(bad)).as(String.valueOf(bad)).isEqualTo(new Invalid(Reason.MALFORMED));
    }
  }

  @Test
  void revokedAndExpiredKeysSaySo() {
    IssuedApiKey revoked = keys.issue(ACME, ApiKeyRequest.fullAccess("r"));
    IssuedApiKey expiring =
        keys.issue(ACME, new ApiKeyRequest("e", null, clock.instant().plus(Duration.ofHours(1))));
    assertThat(keys.revoke(ACME, revoked.key().id()).revokedAt()).isEqualTo(clock.instant());
    assertThat(keys.verify(revoked.secret())).isEqualTo(new Invalid(Reason.REVOKED));
    assertThat(keys.verify(expiring.secret())).isInstanceOf(Valid.class);
    clock.advance(Duration.ofHours(1));
    assertThat(keys.verify(expiring.secret())).isEqualTo(new Invalid(Reason.EXPIRED));
  }

  @Test
  void oneTenantCannotRevokeAnothersKey() {
    IssuedApiKey key = keys.issue(ACME, ApiKeyRequest.fullAccess("k"));
    assertThatThrownBy(() -> keys.revoke(GLOBEX, key.key().id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> keys.revoke(ACME, "../../etc")).isInstanceOf(NotFoundException.class);
    assertThat(keys.verify(key.secret())).isInstanceOf(Valid.class);
    assertThat(keys.list(GLOBEX)).isEmpty();
  }

  @Test
  void lastUsedIsWrittenAtMostOncePerGranularity() {
    IssuedApiKey key = keys.issue(ACME, ApiKeyRequest.fullAccess("k"));
    keys.verify(key.secret());
    var firstUse = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    keys.verify(key.secret());
    assertThat(keys.list(ACME).get(0).lastUsedAt()).isEqualTo(firstUse);
    clock.advance(Duration.ofSeconds(31));
    keys.verify(key.secret());
    assertThat(keys.list(ACME).get(0).lastUsedAt()).isEqualTo(clock.instant());
  }
}
