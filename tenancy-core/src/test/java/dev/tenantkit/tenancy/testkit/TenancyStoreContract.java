package dev.tenantkit.tenancy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import dev.tenantkit.tenancy.spi.TenancyStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TenancyStore} must have. A backend's test extends this class and
 * supplies a fresh, empty store per test.
 */
public abstract class TenancyStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected TenancyStore store;

  /** A new, empty store; called before each test. */
  protected abstract TenancyStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  protected static Tenant tenant(String id, String name) {
    return new Tenant(
        TenantId.of(id),
        name,
        "free",
        TenantStatus.ACTIVE,
        TenantSettings.defaults(),
        T0,
        T0,
        null,
        1);
  }

  protected static StoredApiKey key(String tenant, String id) {
    return new StoredApiKey(
        new ApiKey(id, TenantId.of(tenant), "ci", Set.of("*"), T0, null, null, null),
        "ab".repeat(32));
  }

  @Test
  void insertedTenantIsFoundWithEveryField() {
    TenantSettings settings =
        TenantSettings.builder()
            .maxFileSizeBytes(1024L)
            .allowedFileTypes(List.of("pdf", "png"))
            .webhookUrl(URI.create("https://hooks.example.com/t"))
            .webhookEvents(List.of("file.uploaded"))
            .brandingJson("{\"color\":\"#123456\",\"logo\":{\"w\":10}}")
            .build();
    Tenant t =
        new Tenant(
            TenantId.of("acme"),
            "Acme Ltd",
            "starter",
            TenantStatus.SUSPENDED,
            settings,
            T0,
            T0.plusSeconds(5),
            null,
            3);
    store.tenants().insert(t);
    assertThat(store.tenants().find(TenantId.of("acme"))).contains(t);
    assertThat(store.tenants().find(TenantId.of("other"))).isEmpty();
  }

  @Test
  void idAndNameAreUniqueIgnoringCaseOfName() {
    store.tenants().insert(tenant("acme", "Acme"));
    assertThatThrownBy(() -> store.tenants().insert(tenant("acme", "Another")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.tenants().insert(tenant("acme2", "ACME")))
        .isInstanceOf(ConflictException.class);
    assertThat(store.tenants().list(null, null, 10))
        .extracting(Tenant::name)
        .containsExactly("Acme");
  }

  @Test
  void updateIsACompareAndSetOnVersion() {
    Tenant t = tenant("acme", "Acme");
    store.tenants().insert(t);
    Tenant renamed = withNameAndVersion(t, "Acme Two", 2);
    assertThat(store.tenants().update(renamed, 1)).isTrue();
    assertThat(store.tenants().update(withNameAndVersion(t, "Stale", 2), 1)).isFalse();
    assertThat(store.tenants().find(t.id())).contains(renamed);
    assertThat(store.tenants().update(tenant("ghost", "Ghost"), 0)).isFalse();
  }

  @Test
  void renameFreesTheOldNameAndRefusesATakenOne() {
    store.tenants().insert(tenant("a", "Alpha"));
    store.tenants().insert(tenant("b", "Beta"));
    Tenant a = store.tenants().find(TenantId.of("a")).orElseThrow();
    assertThatThrownBy(() -> store.tenants().update(withNameAndVersion(a, "BETA", 2), 1))
        .isInstanceOf(ConflictException.class);
    assertThat(store.tenants().find(a.id()).orElseThrow().name()).isEqualTo("Alpha");
    assertThat(store.tenants().update(withNameAndVersion(a, "Gamma", 2), 1)).isTrue();
    store.tenants().insert(tenant("c", "alpha"));
  }

  @Test
  void concurrentUpdatesOfOneVersionHaveExactlyOneWinner() throws Exception {
    Tenant t = tenant("acme", "Acme");
    store.tenants().insert(t);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger wins = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String name = "Acme " + i;
        futures.add(
            pool.submit(
                () -> {
                  if (store.tenants().update(withNameAndVersion(t, name, 2), 1)) {
                    wins.incrementAndGet();
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wins).hasValue(1);
    assertThat(store.tenants().find(t.id()).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void listPagesByIdAndFiltersByStatus() {
    for (String id : List.of("d", "a", "c", "b", "e")) {
      store.tenants().insert(tenant(id, "Name " + id));
    }
    Tenant c = store.tenants().find(TenantId.of("c")).orElseThrow();
    store.tenants().update(withStatus(c, TenantStatus.DELETED), 1);
    Tenant e = store.tenants().find(TenantId.of("e")).orElseThrow();
    store.tenants().update(withStatus(e, TenantStatus.SUSPENDED), 1);

    assertThat(store.tenants().list(null, null, 2))
        .extracting(t -> t.id().value())
        .containsExactly("a", "b");
    assertThat(store.tenants().list(null, TenantId.of("b"), 10))
        .extracting(t -> t.id().value())
        .containsExactly("d", "e");
    assertThat(store.tenants().list(TenantStatus.DELETED, null, 10))
        .extracting(t -> t.id().value())
        .containsExactly("c");
    assertThat(store.tenants().list(TenantStatus.SUSPENDED, null, 10))
        .extracting(t -> t.id().value())
        .containsExactly("e");
  }

  @Test
  void deleteRemovesTheTenantAndFreesItsName() {
    store.tenants().insert(tenant("acme", "Acme"));
    assertThat(store.tenants().delete(TenantId.of("acme"))).isTrue();
    assertThat(store.tenants().delete(TenantId.of("acme"))).isFalse();
    assertThat(store.tenants().find(TenantId.of("acme"))).isEmpty();
    store.tenants().insert(tenant("acme", "Acme"));
  }

  @Test
  void apiKeysAreStoredPerTenantAndNeverSeenFromAnother() {
    store.tenants().insert(tenant("a", "A"));
    store.tenants().insert(tenant("b", "B"));
    StoredApiKey k = key("a", "AAAAAAAAAAAA");
    store.apiKeys().insert(k);
    assertThat(store.apiKeys().find(TenantId.of("a"), "AAAAAAAAAAAA")).contains(k);
    assertThat(store.apiKeys().find(TenantId.of("b"), "AAAAAAAAAAAA")).isEmpty();
    assertThat(store.apiKeys().list(TenantId.of("b"))).isEmpty();
    assertThat(store.apiKeys().revoke(TenantId.of("b"), "AAAAAAAAAAAA", T0)).isFalse();
    assertThat(store.apiKeys().deleteAll(TenantId.of("b"))).isZero();
    assertThat(store.apiKeys().find(TenantId.of("a"), "AAAAAAAAAAAA")).contains(k);
  }

  @Test
  void sameKeyIdInTwoTenantsIsAllowedButNotTwiceInOne() {
    store.tenants().insert(tenant("a", "A"));
    store.tenants().insert(tenant("b", "B"));
    store.apiKeys().insert(key("a", "SAMESAMESAME"));
    store.apiKeys().insert(key("b", "SAMESAMESAME"));
    assertThatThrownBy(() -> store.apiKeys().insert(key("a", "SAMESAMESAME")))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void revokeIsIdempotentAndKeepsTheFirstTime() {
    store.tenants().insert(tenant("a", "A"));
    store.apiKeys().insert(key("a", "KEY000000001"));
    TenantId a = TenantId.of("a");
    assertThat(store.apiKeys().revoke(a, "KEY000000001", T0.plusSeconds(10))).isTrue();
    assertThat(store.apiKeys().revoke(a, "KEY000000001", T0.plusSeconds(20))).isTrue();
    assertThat(store.apiKeys().find(a, "KEY000000001").orElseThrow().key().revokedAt())
        .isEqualTo(T0.plusSeconds(10));
    assertThat(store.apiKeys().revoke(a, "NOSUCHKEY000", T0)).isFalse();
  }

  @Test
  void touchRecordsLastUseAndListIsNewestFirst() {
    store.tenants().insert(tenant("a", "A"));
    TenantId a = TenantId.of("a");
    store.apiKeys().insert(key("a", "OLDOLDOLDOLD"));
    StoredApiKey newer =
        new StoredApiKey(
            new ApiKey(
                "NEWNEWNEWNEW",
                a,
                "",
                Set.of("usage:read", "files:*"),
                T0.plusSeconds(60),
                T0.plusSeconds(3600),
                null,
                null),
            "cd".repeat(32));
    store.apiKeys().insert(newer);
    store.apiKeys().touch(a, "OLDOLDOLDOLD", T0.plusSeconds(90));
    assertThat(store.apiKeys().list(a))
        .extracting(ApiKey::id)
        .containsExactly("NEWNEWNEWNEW", "OLDOLDOLDOLD");
    assertThat(store.apiKeys().list(a).get(0)).isEqualTo(newer.key());
    assertThat(store.apiKeys().find(a, "OLDOLDOLDOLD").orElseThrow().key().lastUsedAt())
        .isEqualTo(T0.plusSeconds(90));
    assertThat(store.apiKeys().deleteAll(a)).isEqualTo(2);
    assertThat(store.apiKeys().list(a)).isEmpty();
  }

  private static Tenant withNameAndVersion(Tenant t, String name, long version) {
    return new Tenant(
        t.id(),
        name,
        t.planId(),
        t.status(),
        t.settings(),
        t.createdAt(),
        t.updatedAt(),
        t.deletedAt(),
        version);
  }

  private static Tenant withStatus(Tenant t, TenantStatus status) {
    return new Tenant(
        t.id(),
        t.name(),
        t.planId(),
        status,
        t.settings(),
        t.createdAt(),
        t.updatedAt(),
        status == TenantStatus.DELETED ? t.updatedAt() : null,
        t.version() + 1);
  }
}
