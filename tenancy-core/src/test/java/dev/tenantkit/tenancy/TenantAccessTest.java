package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.TenantAccess.Decision;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantAccessTest {
  private final Tenancy tenancy = Tenancy.builder().build();
  private TenantAccess access;
  private String key;

  @BeforeEach
  void setUp() {
    tenancy.tenants().create(NewTenant.of(TenantId.of("acme"), "Acme", "free"));
    key = tenancy.apiKeys().issue(TenantId.of("acme"), ApiKeyRequest.fullAccess("k")).secret();
    access =
        TenantAccess.of(
            TenantResolvers.chain(
                TenantResolvers.apiKey(tenancy.apiKeys()), TenantResolvers.pathPrefix("/t/")),
            tenancy.tenants());
  }

  private DenialReason denial(FakeRequest request) {
    Decision d = access.check(request);
    assertThat(d).isInstanceOf(Decision.Denied.class);
    return ((Decision.Denied) d).reason();
  }

  @Test
  void anActiveTenantWithAValidKeyIsGranted() {
    Decision d = access.check(FakeRequest.create().bearer(key));
    assertThat(d).isInstanceOf(Decision.Granted.class);
    assertThat(((Decision.Granted) d).tenant().id().value()).isEqualTo("acme");
  }

  @Test
  void theBearerSchemeIsMatchedIgnoringCase() {
    for (String scheme : List.of("Bearer", "bearer", "BEARER")) {
      assertThat(access.check(FakeRequest.create().header("Authorization", scheme + " " + key)))
          .as(scheme)
          .isInstanceOf(Decision.Granted.class);
    }
  }

  @Test
  void aCredentialHeaderSentTwiceIsRefusedEvenWhenItsFirstValueIsValid() {
    for (String header : List.of("Authorization", "X-Api-Key")) {
      String first = header.equals("Authorization") ? "Bearer " + key : key;
      assertThat(denial(FakeRequest.create().header(header, first).addHeader(header, first)))
          .as(header)
          .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    }
  }

  @Test
  void suspendedDeletedAndUnknownTenantsAreRefused() {
    tenancy.tenants().suspend(TenantId.of("acme"));
    assertThat(denial(FakeRequest.create().bearer(key))).isEqualTo(DenialReason.TENANT_SUSPENDED);
    tenancy.tenants().reactivate(TenantId.of("acme"));
    tenancy.tenants().delete(TenantId.of("acme"));
    assertThat(denial(FakeRequest.create().bearer(key))).isEqualTo(DenialReason.TENANT_NOT_FOUND);
  }

  @Test
  void aLocatedTenantNeedsACredentialUnlessAllowed() {
    assertThat(denial(FakeRequest.create().path("/t/acme/x")))
        .isEqualTo(DenialReason.MISSING_CREDENTIAL);
    assertThat(denial(FakeRequest.create())).isEqualTo(DenialReason.MISSING_CREDENTIAL);
    TenantAccess open =
        TenantAccess.allowingUnauthenticated(TenantResolvers.pathPrefix("/t/"), tenancy.tenants());
    assertThat(open.check(FakeRequest.create().path("/t/acme/x")))
        .isInstanceOf(Decision.Granted.class);
    Decision unknown = open.check(FakeRequest.create().path("/t/ghost/x"));
    assertThat(((Decision.Denied) unknown).reason()).isEqualTo(DenialReason.TENANT_NOT_FOUND);
  }
}
