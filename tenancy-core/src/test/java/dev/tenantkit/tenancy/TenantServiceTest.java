package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantServiceTest {
  private final FakeClock clock = FakeClock.create();
  private final List<TenantEvent> events = new ArrayList<>();
  private TenantService tenants;
  private Tenancy tenancy;

  @BeforeEach
  void setUp() {
    tenancy = Tenancy.builder().clock(clock).listener(events::add).build();
    tenants = tenancy.tenants();
  }

  private static TenantId id(String s) {
    return TenantId.of(s);
  }

  @Test
  void createsAnActiveTenantAtVersionOne() {
    Tenant t = tenants.create(NewTenant.of(id("acme"), "  Acme Corp ", "free"));
    assertThat(t.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(t.name()).isEqualTo("Acme Corp");
    assertThat(t.version()).isEqualTo(1);
    assertThat(t.createdAt()).isEqualTo(clock.instant());
    assertThat(tenants.get(id("acme"))).isEqualTo(t);
    assertThat(events).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.CREATED);
  }

  @Test
  void refusesDuplicateIdsAndNamesIgnoringCase() {
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("acme"), "Other", "free")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("acme2"), "ACME", "free")))
        .isInstanceOf(ConflictException.class);
    assertThat(events).hasSize(1);
  }

  @Test
  void validatesNamesAndPlans() {
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("a"), " ", "free")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("name");
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("a"), "x".repeat(201), "free")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("a"), "bad\nname", "free")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> tenants.create(NewTenant.of(id("a"), "A", "Free Plan")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("plan");
    assertThatThrownBy(() -> tenants.create(new NewTenant(null, "A", "free", null)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(tenants.find(id("a"))).isEmpty();
  }

  @Test
  void onlyKnownPlansAreAccepted() {
    TenantService strict =
        Tenancy.builder().knownPlans(java.util.Set.of("free", "pro")::contains).build().tenants();
    strict.create(NewTenant.of(id("a"), "A", "free"));
    assertThatThrownBy(() -> strict.create(NewTenant.of(id("b"), "B", "gold")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gold");
    assertThatThrownBy(() -> strict.changePlan(id("a"), "gold"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(strict.changePlan(id("a"), "pro").planId()).isEqualTo("pro");
    assertThat(strict.find(id("b"))).isEmpty();
  }

  @Test
  void renameChangePlanAndSettingsBumpVersionAndTime() {
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
    clock.advance(Duration.ofMinutes(1));
    Tenant renamed = tenants.rename(id("acme"), "Acme Two");
    Tenant upgraded = tenants.changePlan(id("acme"), "starter");
    TenantSettings settings = TenantSettings.builder().maxFileSizeBytes(10L).build();
    Tenant configured = tenants.updateSettings(id("acme"), settings);
    assertThat(renamed.name()).isEqualTo("Acme Two");
    assertThat(renamed.updatedAt()).isEqualTo(clock.instant());
    assertThat(upgraded.planId()).isEqualTo("starter");
    assertThat(configured.settings()).isEqualTo(settings);
    assertThat(configured.version()).isEqualTo(4);
    assertThat(configured.name()).isEqualTo("Acme Two");
    assertThat(configured.planId()).isEqualTo("starter");
  }

  @Test
  void updateAppliesEverythingInOneChangeOrNothing() {
    tenants.create(NewTenant.of(id("a"), "Alpha", "free"));
    tenants.create(NewTenant.of(id("b"), "Beta", "free"));
    TenantSettings settings = TenantSettings.builder().allowedFileTypes(List.of("pdf")).build();
    assertThatThrownBy(
            () -> tenants.update(id("a"), new TenantUpdate("Alpha 2", "No Plan", settings)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> tenants.update(id("a"), new TenantUpdate("BETA", "pro", settings)))
        .isInstanceOf(ConflictException.class);
    assertThat(tenants.get(id("a")).version()).isEqualTo(1);
    Tenant updated = tenants.update(id("a"), new TenantUpdate("Alpha 2", "pro", settings));
    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated)
        .extracting(Tenant::name, Tenant::planId, Tenant::settings)
        .containsExactly("Alpha 2", "pro", settings);
    assertThat(tenants.update(id("a"), new TenantUpdate(null, null, null))).isEqualTo(updated);
  }

  @Test
  void renameToATakenNameIsAConflictAndChangesNothing() {
    tenants.create(NewTenant.of(id("a"), "Alpha", "free"));
    tenants.create(NewTenant.of(id("b"), "Beta", "free"));
    assertThatThrownBy(() -> tenants.rename(id("a"), "beta")).isInstanceOf(ConflictException.class);
    assertThat(tenants.get(id("a")).name()).isEqualTo("Alpha");
    assertThat(tenants.get(id("a")).version()).isEqualTo(1);
  }

  @Test
  void suspendAndReactivateAreIdempotentAndPublishedOnce() {
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
    assertThat(tenants.suspend(id("acme")).status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(tenants.suspend(id("acme")).version()).isEqualTo(2);
    assertThat(tenants.reactivate(id("acme")).status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(tenants.reactivate(id("acme")).version()).isEqualTo(3);
    assertThat(events)
        .extracting(TenantEvent::type)
        .containsExactly(
            TenantEvent.Type.CREATED, TenantEvent.Type.SUSPENDED, TenantEvent.Type.REACTIVATED);
  }

  @Test
  void aDeletedTenantCanOnlyBePurged() {
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
    Tenant deleted = tenants.delete(id("acme"));
    assertThat(deleted.status()).isEqualTo(TenantStatus.DELETED);
    assertThat(deleted.deletedAt()).isEqualTo(clock.instant()).isEqualTo(deleted.updatedAt());
    assertThat(tenants.delete(id("acme"))).isEqualTo(deleted);
    assertThatThrownBy(() -> tenants.reactivate(id("acme")))
        .isInstanceOf(TenantStateException.class);
    assertThatThrownBy(() -> tenants.suspend(id("acme"))).isInstanceOf(TenantStateException.class);
    assertThatThrownBy(() -> tenants.rename(id("acme"), "X"))
        .isInstanceOf(TenantStateException.class);
    assertThatThrownBy(() -> tenants.changePlan(id("acme"), "pro"))
        .isInstanceOf(TenantStateException.class);
    assertThatThrownBy(() -> tenancy.apiKeys().issue(id("acme"), ApiKeyRequest.fullAccess("k")))
        .isInstanceOf(TenantNotFoundException.class);
    assertThat(tenants.get(id("acme"))).isEqualTo(deleted);
  }

  @Test
  void purgeNeedsADeletedTenantAndRemovesItsKeys() {
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
    IssuedApiKey key = tenancy.apiKeys().issue(id("acme"), ApiKeyRequest.fullAccess("k"));
    assertThatThrownBy(() -> tenants.purge(id("acme"))).isInstanceOf(TenantStateException.class);
    tenants.delete(id("acme"));
    tenants.purge(id("acme"));
    assertThat(tenants.find(id("acme"))).isEmpty();
    assertThat(tenancy.apiKeys().list(id("acme"))).isEmpty();
    assertThat(tenancy.apiKeys().verify(key.secret()))
        .isEqualTo(new ApiKeyVerification.Invalid(ApiKeyVerification.Reason.UNKNOWN));
    assertThat(events).extracting(TenantEvent::type).endsWith(TenantEvent.Type.PURGED);
    assertThatThrownBy(() -> tenants.purge(id("acme"))).isInstanceOf(TenantNotFoundException.class);
    // The id and the name are free again once purged.
    tenants.create(NewTenant.of(id("acme"), "Acme", "free"));
  }

  @Test
  void purgersRemoveTheirDataBeforeTheTenantGoesAndAFailureLeavesItDeleted() {
    List<String> seen = new ArrayList<>();
    boolean[] fail = {true};
    AtomicReference<TenantService> self = new AtomicReference<>();
    Tenancy withPurgers =
        Tenancy.builder()
            .clock(clock)
            .purger(
                t -> {
                  // The tenant is still there while its data goes.
                  seen.add(t.value() + ":" + self.get().get(t).status());
                })
            .purger(
                t -> {
                  if (fail[0]) {
                    throw new IllegalStateException("files store down");
                  }
                  seen.add("files:" + t.value());
                })
            .listener(events::add)
            .build();
    TenantService service = withPurgers.tenants();
    self.set(service);
    service.create(NewTenant.of(id("acme"), "Acme", "free"));
    withPurgers.apiKeys().issue(id("acme"), ApiKeyRequest.fullAccess("k"));
    service.delete(id("acme"));

    assertThatThrownBy(() -> service.purge(id("acme")))
        .isInstanceOf(PurgeFailedException.class)
        .hasRootCauseMessage("files store down");
    // Nothing of the tenant is gone: it can neither be recreated nor lose its keys half-way.
    assertThat(service.get(id("acme")).status()).isEqualTo(TenantStatus.DELETED);
    assertThat(withPurgers.apiKeys().list(id("acme"))).hasSize(1);
    assertThat(events).extracting(TenantEvent::type).doesNotContain(TenantEvent.Type.PURGED);
    assertThatThrownBy(() -> service.create(NewTenant.of(id("acme"), "Acme 2", "free")))
        .isInstanceOf(ConflictException.class);

    fail[0] = false;
    service.purge(id("acme"));
    assertThat(seen).containsExactly("acme:DELETED", "acme:DELETED", "files:acme");
    assertThat(service.find(id("acme"))).isEmpty();
    assertThat(events).extracting(TenantEvent::type).endsWith(TenantEvent.Type.PURGED);
  }

  @Test
  void operationsOnUnknownTenantsSayNotFound() {
    assertThatThrownBy(() -> tenants.get(id("ghost"))).isInstanceOf(TenantNotFoundException.class);
    assertThatThrownBy(() -> tenants.suspend(id("ghost")))
        .isInstanceOf(TenantNotFoundException.class);
    assertThatThrownBy(() -> tenants.rename(id("ghost"), "G"))
        .isInstanceOf(TenantNotFoundException.class);
  }

  @Test
  void listPagesWithACursorAndHidesDeletedByDefault() {
    for (String s : List.of("a", "b", "c", "d", "e")) {
      tenants.create(NewTenant.of(id(s), "T " + s, "free"));
    }
    tenants.delete(id("c"));
    Page<Tenant> first = tenants.list(null, null, 2);
    assertThat(first.items()).extracting(t -> t.id().value()).containsExactly("a", "b");
    Page<Tenant> second = tenants.list(null, first.nextCursor(), 2);
    assertThat(second.items()).extracting(t -> t.id().value()).containsExactly("d", "e");
    assertThat(second.next()).isEmpty();
    assertThat(tenants.list(TenantStatus.DELETED, null, 10).items()).hasSize(1);
    assertThatThrownBy(() -> tenants.list(null, "not a cursor!", 2))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> tenants.list(null, null, 0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> tenants.list(null, null, 1001))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aFailingListenerDoesNotUndoTheChangeOrStopOthers() {
    List<TenantEvent> seen = new ArrayList<>();
    TenantService service =
        Tenancy.builder()
            .listener(
                e -> {
                  throw new IllegalStateException("boom");
                })
            .listener(seen::add)
            .build()
            .tenants();
    service.create(NewTenant.of(id("acme"), "Acme", "free"));
    assertThat(service.find(id("acme"))).isPresent();
    assertThat(seen).hasSize(1);
  }
}
