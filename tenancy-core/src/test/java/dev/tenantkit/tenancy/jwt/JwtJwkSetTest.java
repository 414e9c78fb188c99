package dev.tenantkit.tenancy.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import dev.tenantkit.tenancy.testkit.JwksServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver with the keys of a JWK Set: kid selection, a served set, rotation, rate limit. */
class JwtJwkSetTest {
  private final FakeClock clock = FakeClock.create();
  private JwksServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = JwksServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder()
        .subject("user-1")
        .issuer("https://id.example.com")
        .audience("tenantkit")
        .claim("tenant_id", "acme")
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
        .build();
  }

  private JwtTenantResolver.Builder resolver() {
    return JwtTenantResolver.builder()
        .issuer("https://id.example.com")
        .audience("tenantkit")
        .clock(clock);
  }

  private static RSAKey rsaKey(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).generate();
  }

  private static String publicSet(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  private String token(RSAKey key, String kid) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(kid)
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            claims());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static TenantResolution resolve(JwtTenantResolver resolver, String token) {
    return resolver.resolve(FakeRequest.create().bearer(token));
  }

  private static void assertInvalid(TenantResolution r) {
    assertThat(r)
        .isInstanceOfSatisfying(
            TenantResolution.Failed.class,
            f -> assertThat(f.reason()).isEqualTo(DenialReason.INVALID_CREDENTIAL));
  }

  @Test
  void aServedKeySetIsCachedAndRefreshedOnARotationWithinTheRateLimit() throws Exception {
    RSAKey first = rsaKey("2026-01");
    RSAKey second = rsaKey("2026-02");
    server.serve(publicSet(first));
    JwtTenantResolver resolver = resolver().jwkSetUri(server.uri()).build();
    assertThat(server.requests()).as("fetched when first needed, not at build").isZero();

    for (int i = 0; i < 3; i++) {
      assertThat(resolve(resolver, token(first, "2026-01")))
          .isInstanceOf(TenantResolution.Resolved.class);
    }
    assertThat(server.requests()).as("cached").isEqualTo(1);

    // The identity provider rotates: it now signs with a new key and no longer publishes the old.
    server.serve(publicSet(second));
    assertThat(resolve(resolver, token(second, "2026-02")))
        .isInstanceOf(TenantResolution.Resolved.class);
    assertThat(server.requests()).as("an unknown kid refreshes the set").isEqualTo(2);
    assertInvalid(resolve(resolver, token(first, "2026-01")));

    // Made-up kids do not make the resolver fetch again within the refresh interval...
    RSAKey forged = rsaKey("forged");
    for (int i = 0; i < 20; i++) {
      assertInvalid(resolve(resolver, token(forged, "made-up-" + i)));
    }
    assertThat(server.requests()).isEqualTo(2);
    // ...and at most twice in the next one.
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 20; i++) {
      assertInvalid(resolve(resolver, token(forged, "made-up-" + i)));
    }
    assertThat(server.requests()).isEqualTo(4);
    assertThat(resolve(resolver, token(second, "2026-02")))
        .isInstanceOf(TenantResolution.Resolved.class);
    assertThat(server.requests()).isEqualTo(4);

    // The cached set expires after its time to live, then is fetched once.
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    for (int i = 0; i < 3; i++) {
      assertThat(resolve(resolver, token(second, "2026-02")))
          .isInstanceOf(TenantResolution.Resolved.class);
    }
    assertThat(server.requests()).isEqualTo(5);
  }

  @Test
  void aKeySetDocumentSelectsTheKeyByKid() throws Exception {
    RSAKey a = rsaKey("a");
    RSAKey b = rsaKey("b");
    JwtTenantResolver resolver =
        resolver().jwkSet(new JWKSet(List.of(a, b)).toString(false)).build();
    assertThat(resolve(resolver, token(a, "a"))).isInstanceOf(TenantResolution.Resolved.class);
    assertThat(resolve(resolver, token(b, "b"))).isInstanceOf(TenantResolution.Resolved.class);
    assertInvalid(resolve(resolver, token(a, "b")));
    assertInvalid(resolve(resolver, token(rsaKey("c"), "c")));
    // A token without kid is checked against the keys of the right type.
    assertThat(resolve(resolver, token(b, null))).isInstanceOf(TenantResolution.Resolved.class);
  }

  @Test
  void theAlgorithmIsFixedByConfigurationNotByTheToken() throws Exception {
    RSAKey rsa = rsaKey("rsa");
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate();
    server.serve(publicSet(rsa, ec));
    JwtTenantResolver rs256Only = resolver().jwkSetUri(server.uri()).build();
    SignedJWT es =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").build(), claims());
    es.sign(new ECDSASigner(ec));
    assertInvalid(resolve(rs256Only, es.serialize()));
    JwtTenantResolver withEs256 =
        resolver().jwkSetUri(server.uri()).jwsAlgorithms(Set.of("RS256", "ES256")).build();
    assertThat(resolve(withEs256, es.serialize())).isInstanceOf(TenantResolution.Resolved.class);
    assertThat(resolve(withEs256, token(rsa, "rsa"))).isInstanceOf(TenantResolution.Resolved.class);

    // alg none, and HS256 with the public key as the secret, are refused.
    assertInvalid(resolve(withEs256, new PlainJWT(claims()).serialize()));
    SignedJWT confused =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa").build(), claims());
    confused.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
    assertInvalid(resolve(withEs256, confused.serialize()));
  }

  @Test
  void anUnreachableKeySetAnswersUnavailableNotInvalid() throws Exception {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks.json");
    }
    JwtTenantResolver resolver = resolver().jwkSetUri(closed).build();
    assertThat(resolve(resolver, token(rsaKey("k"), "k")))
        .isInstanceOfSatisfying(
            TenantResolution.Failed.class,
            f -> {
              assertThat(f.reason()).isEqualTo(DenialReason.CREDENTIAL_CHECK_UNAVAILABLE);
              assertThat(f.reason().httpStatus()).isEqualTo(503);
              assertThat(f.detail()).contains("cannot be fetched");
            });
  }
}
