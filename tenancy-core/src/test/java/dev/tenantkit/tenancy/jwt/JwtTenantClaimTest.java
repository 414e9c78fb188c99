package dev.tenantkit.tenancy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A signed token's tenant claim is an id as given: never trimmed or case-folded into a tenant. */
class JwtTenantClaimTest {
  private static final byte[] SECRET =
      "an-hs256-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  private final FakeClock clock = FakeClock.create();

  @ParameterizedTest
  @ValueSource(strings = {"\u212A-h6", "H6-A", " k-h6 ", "k-h6\n"})
  void aClaimThatOnlyFoldingWouldAcceptIsMalformed(String claim) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("user-1")
            .issuer("https://id.example.com")
            .audience("tenantkit")
            .claim("tenant_id", claim)
            .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET));
    JwtTenantResolver resolver =
        JwtTenantResolver.builder()
            .hs256(SECRET)
            .issuer("https://id.example.com")
            .audience("tenantkit")
            .clock(clock)
            .build();

    TenantResolution r = resolver.resolve(FakeRequest.create().bearer(jwt.serialize()));

    assertThat(r).isInstanceOf(TenantResolution.Failed.class);
    assertThat(((TenantResolution.Failed) r).reason()).isEqualTo(DenialReason.MALFORMED_TENANT_ID);
  }
}
