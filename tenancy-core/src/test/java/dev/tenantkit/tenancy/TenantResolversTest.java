package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolution.Failed;
import dev.tenantkit.tenancy.spi.TenantResolution.Resolved;
import dev.tenantkit.tenancy.spi.TenantResolver;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantResolversTest {
  private Tenancy tenancy;
  private String acmeKey;
  private TenantResolver chain;

  @BeforeEach
  void setUp() {
    tenancy = Tenancy.builder().build();
    tenancy.tenants().create(NewTenant.of(TenantId.of("acme"), "Acme", "free"));
    tenancy.tenants().create(NewTenant.of(TenantId.of("globex"), "Globex", "free"));
    acmeKey =
        tenancy
            .apiKeys()
            .issue(TenantId.of("acme"), new ApiKeyRequest("k", Set.of("files:*"), null))
            .secret();
    chain =
        TenantResolvers.chain(
            TenantResolvers.apiKey(tenancy.apiKeys()),
            TenantResolvers.subdomain("app.example.com"),
            TenantResolvers.pathPrefix("/t/"));
  }

  private static Resolved resolved(TenantResolution r) {
    assertThat(r).isInstanceOf(Resolved.class);
    return (Resolved) r;
  }

  private static DenialReason failure(TenantResolution r) {
    assertThat(r).isInstanceOf(Failed.class);
    return ((Failed) r).reason();
  }

  @Test
  void apiKeyFromBearerOrHeaderAuthenticatesWithItsScopes() {
    for (FakeRequest req :
        List.of(
            FakeRequest.create().bearer(acmeKey),
            FakeRequest.create().header("X-Api-Key", acmeKey))) {
      Resolved r = resolved(chain.resolve(req));
      assertThat(r.authenticated()).isTrue();
      assertThat(r.binding().tenantId()).isEqualTo(TenantId.of("acme"));
      assertThat(r.binding().hasScope("files:read")).isTrue();
      assertThat(r.binding().hasScope("usage:read")).isFalse();
      assertThat(r.binding().credential()).isEqualTo(TenantBinding.Credential.API_KEY);
    }
  }

  @Test
  void missingAndUnrecognisedCredentialsAreTold() {
    assertThat(chain.resolve(FakeRequest.create())).isEqualTo(TenantResolution.notApplicable());
    assertThat(failure(chain.resolve(FakeRequest.create().bearer("garbage"))))
        .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    assertThat(
            failure(
                chain.resolve(FakeRequest.create().header("Authorization", "Basic Zm9vOmJhcg=="))))
        .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    assertThat(failure(chain.resolve(FakeRequest.create().header("X-Api-Key", "nope"))))
        .isEqualTo(DenialReason.INVALID_CREDENTIAL);
  }

  @Test
  void bothCredentialHeadersMustCarryTheSameKey() {
    String globexKey =
        tenancy.apiKeys().issue(TenantId.of("globex"), ApiKeyRequest.fullAccess("g")).secret();
    String forged = acmeKey.substring(0, acmeKey.lastIndexOf('.') + 1) + "b".repeat(32);
    for (String authorization :
        List.of(
            "Bearer " + globexKey,
            "Bearer " + forged,
            "Bearer tk.acme.AAAAAAAAAAAA.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "Basic Zm9vOmJhcg==",
            "Bearer",
            "")) {
      TenantResolution r =
          chain.resolve(
              FakeRequest.create()
                  .header("Authorization", authorization)
                  .header("X-Api-Key", acmeKey));
      assertThat(failure(r)).as(authorization).isEqualTo(DenialReason.INVALID_CREDENTIAL);
      assertThat(((Failed) r).detail()).contains("Authorization", "X-Api-Key");
    }
    // The same key twice is one credential.
    Resolved same =
        resolved(
            chain.resolve(
                FakeRequest.create().bearer(acmeKey).header("X-Api-Key", " " + acmeKey + " ")));
    assertThat(same.binding().tenantId()).isEqualTo(TenantId.of("acme"));
  }

  @Test
  void locatorsNameTheTenantButDoNotAuthenticate() {
    Resolved bySub = resolved(chain.resolve(FakeRequest.create().host("acme.app.example.com")));
    assertThat(bySub.binding().tenantId().value()).isEqualTo("acme");
    assertThat(bySub.authenticated()).isFalse();
    Resolved byPath = resolved(chain.resolve(FakeRequest.create().path("/t/globex/files")));
    assertThat(byPath.binding().tenantId().value()).isEqualTo("globex");
    assertThat(chain.resolve(FakeRequest.create().host("a.b.app.example.com")))
        .isEqualTo(TenantResolution.notApplicable());
    assertThat(chain.resolve(FakeRequest.create().host("app.example.com")))
        .isEqualTo(TenantResolution.notApplicable());
  }

  @Test
  void hostNamesAreFoldedAsciiOnly() {
    // DNS names are case-insensitive, so ACME.app.example.com is acme; a Kelvin sign is not a k.
    assertThat(
            resolved(chain.resolve(FakeRequest.create().host("ACME.App.Example.com")))
                .binding()
                .tenantId()
                .value())
        .isEqualTo("acme");
    assertThat(failure(chain.resolve(FakeRequest.create().host("\u212Acme.app.example.com"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
    assertThat(failure(chain.resolve(FakeRequest.create().path("/t/Acme/files"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
  }

  @Test
  void malformedLocatedIdsAreMalformed() {
    assertThat(failure(chain.resolve(FakeRequest.create().path("/t/Bad%20Id/x"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
    assertThat(failure(chain.resolve(FakeRequest.create().path("/t//x"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
  }

  @Test
  void aCredentialForOneTenantOnAnotherTenantsUrlIsAMismatch() {
    assertThat(failure(chain.resolve(FakeRequest.create().bearer(acmeKey).path("/t/globex/files"))))
        .isEqualTo(DenialReason.TENANT_MISMATCH);
    assertThat(
            failure(
                chain.resolve(FakeRequest.create().bearer(acmeKey).host("globex.app.example.com"))))
        .isEqualTo(DenialReason.TENANT_MISMATCH);
    Resolved same =
        resolved(chain.resolve(FakeRequest.create().bearer(acmeKey).path("/t/acme/files")));
    assertThat(same.authenticated()).isTrue();
    assertThat(same.binding().hasScope("files:write")).isTrue();
  }

  @Test
  void aBadCredentialIsNeverPassedOverForALocator() {
    tenancy.apiKeys().revoke(TenantId.of("acme"), acmeKey.split("\\.")[2]);
    assertThat(failure(chain.resolve(FakeRequest.create().bearer(acmeKey).path("/t/acme/"))))
        .isEqualTo(DenialReason.REVOKED_CREDENTIAL);
  }

  @Test
  void theGatewayHeaderIsTrustedOnlyFromTheGateway() {
    TenantResolver gateway =
        TenantResolvers.chain(
            TenantResolvers.apiKey(tenancy.apiKeys()),
            TenantResolvers.trustedGateway(List.of("10.0.0.0/8", "::1"), Set.of("*")));
    FakeRequest fromGateway = FakeRequest.create().header("X-Tenant-ID", "globex").from("10.1.2.3");
    Resolved r = resolved(gateway.resolve(fromGateway));
    assertThat(r.binding().tenantId().value()).isEqualTo("globex");
    assertThat(r.authenticated()).isTrue();
    assertThat(
            resolved(
                    gateway.resolve(
                        FakeRequest.create().header("X-Tenant-ID", "acme").from("0:0:0:0:0:0:0:1")))
                .binding()
                .tenantId()
                .value())
        .isEqualTo("acme");
    assertThat(
            gateway.resolve(FakeRequest.create().header("X-Tenant-ID", "globex").from("11.0.0.1")))
        .isEqualTo(TenantResolution.notApplicable());
    assertThat(
            failure(
                gateway.resolve(
                    FakeRequest.create().header("X-Tenant-ID", "no way").from("10.0.0.1"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
    // A header is taken as given: no case folding, no Unicode folding into an ASCII tenant.
    for (String folded : List.of("Globex", "GLOBEX", "\u212A-h6", "globex\n")) {
      assertThat(
              failure(
                  gateway.resolve(
                      FakeRequest.create().header("X-Tenant-ID", folded).from("10.0.0.1"))))
          .as(folded)
          .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
    }
    // A header repeated (a gateway that appends to the client's) is refused, not its first taken.
    assertThat(
            failure(
                gateway.resolve(
                    FakeRequest.create()
                        .header("X-Tenant-ID", "globex")
                        .addHeader("X-Tenant-ID", "acme")
                        .from("10.0.0.1"))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
    // Without a configured gateway the header means nothing at all.
    assertThat(chain.resolve(FakeRequest.create().header("X-Tenant-ID", "globex").from("10.0.0.1")))
        .isEqualTo(TenantResolution.notApplicable());
    // With a key of acme, a header naming globex cannot switch tenants.
    assertThat(failure(gateway.resolve(fromGateway.bearer(acmeKey))))
        .isEqualTo(DenialReason.TENANT_MISMATCH);
  }

  @Test
  void misconfiguredResolversFailAtConstruction() {
    assertThatThrownBy(() -> TenantResolvers.trustedGateway(List.of(), Set.of("*")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.trustedGateway(List.of("gateway.local"), Set.of("*")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.trustedGateway(List.of("10.0.0.0/33"), Set.of("*")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.pathPrefix("t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantResolvers.subdomain(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(TenantResolvers::chain).isInstanceOf(IllegalArgumentException.class);
  }
}
