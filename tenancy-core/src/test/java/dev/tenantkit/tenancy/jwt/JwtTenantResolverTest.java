package dev.tenantkit.tenancy.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JwtTenantResolverTest {
  private static final byte[] SECRET =
      "an-hs256-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  private final FakeClock clock = FakeClock.create();

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject("user-1")
        .issuer("https://id.example.com")
        .audience("tenantkit")
        .claim("tenant_id", "acme")
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))));
  }

  private static String hs256(JWTClaimsSet claims, byte[] secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  private JwtTenantResolver.Builder hsResolver() {
    return JwtTenantResolver.builder()
        .hs256(SECRET)
        .issuer("https://id.example.com")
        .audience("tenantkit")
        .clock(clock);
  }

  private JwtTenantResolver.Builder rsResolver(KeyPair pair) {
    return JwtTenantResolver.builder()
        .rs256((RSAPublicKey) pair.getPublic())
        .issuer("https://id.example.com")
        .audience("tenantkit")
        .clock(clock);
  }

  private static String rs256(JWSHeader header, JWTClaimsSet claims, KeyPair pair)
      throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new RSASSASigner(pair.getPrivate()));
    return jwt.serialize();
  }

  private static DenialReason failure(TenantResolution r) {
    assertThat(r).isInstanceOf(TenantResolution.Failed.class);
    return ((TenantResolution.Failed) r).reason();
  }

  @Test
  void aValidHs256TokenResolvesItsTenantClaimAndScopes() throws Exception {
    String token = hs256(claims().claim("scope", "files:read usage:read").build(), SECRET);
    TenantResolution r = hsResolver().build().resolve(FakeRequest.create().bearer(token));
    TenantBinding b = ((TenantResolution.Resolved) r).binding();
    assertThat(b.tenantId().value()).isEqualTo("acme");
    assertThat(b.scopes()).containsExactlyInAnyOrder("files:read", "usage:read");
    assertThat(b.subject()).isEqualTo("user-1");
    assertThat(b.credential()).isEqualTo(TenantBinding.Credential.JWT);
  }

  @Test
  void aValidRs256TokenResolves() throws Exception {
    KeyPair pair = rsa();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256), claims().claim("scp", List.of("a:b")).build());
    jwt.sign(new RSASSASigner(pair.getPrivate()));
    JwtTenantResolver resolver = rsResolver(pair).scopeClaim("scp").build();
    TenantResolution r = resolver.resolve(FakeRequest.create().bearer(jwt.serialize()));
    assertThat(((TenantResolution.Resolved) r).binding().scopes()).containsExactly("a:b");
  }

  @Test
  void expiredTokensAreExpiredAfterTheSkew() throws Exception {
    String token = hs256(claims().build(), SECRET);
    JwtTenantResolver resolver = hsResolver().build();
    clock.advance(Duration.ofMinutes(5).plusSeconds(29));
    assertThat(resolver.resolve(FakeRequest.create().bearer(token)))
        .isInstanceOf(TenantResolution.Resolved.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(failure(resolver.resolve(FakeRequest.create().bearer(token))))
        .isEqualTo(DenialReason.EXPIRED_CREDENTIAL);
  }

  @Test
  void forgedUnsignedAndConfusedTokensAreInvalid() throws Exception {
    JwtTenantResolver resolver = hsResolver().build();
    String wrongKey =
        hs256(
            claims().build(),
            "another-secret-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8));
    String unsigned = new PlainJWT(claims().build()).serialize();
    KeyPair pair = rsa();
    SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims().build());
    rs.sign(new RSASSASigner(pair.getPrivate()));
    // Algorithm confusion: an HS256 token whose "secret" is the RSA public key must not pass an
    // RS256 resolver.
    String confused = hs256(claims().build(), pair.getPublic().getEncoded());
    JwtTenantResolver rsResolver = rsResolver(pair).build();
    for (String token : List.of(wrongKey, rs.serialize())) {
      assertThat(failure(resolver.resolve(FakeRequest.create().bearer(token))))
          .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    }
    assertThat(failure(resolver.resolve(FakeRequest.create().bearer(unsigned))))
        .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    assertThat(failure(rsResolver.resolve(FakeRequest.create().bearer(confused))))
        .isEqualTo(DenialReason.INVALID_CREDENTIAL);
  }

  @Test
  void wrongIssuerAudienceOrMissingClaimsAreInvalid() throws Exception {
    JwtTenantResolver resolver = hsResolver().build();
    for (JWTClaimsSet c :
        List.of(
            claims().issuer("https://evil.example.com").build(),
            claims().audience("other").build(),
            claims().claim("tenant_id", null).build(),
            claims().claim("tenant_id", 42).build(),
            claims().expirationTime(null).build(),
            claims().claim("scope", List.of(1, 2)).build(),
            claims().notBeforeTime(Date.from(clock.instant().plus(Duration.ofHours(1)))).build())) {
      assertThat(failure(resolver.resolve(FakeRequest.create().bearer(hs256(c, SECRET)))))
          .as(c.toString())
          .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    }
    String badTenant = hs256(claims().claim("tenant_id", "not a tenant!").build(), SECRET);
    assertThat(failure(resolver.resolve(FakeRequest.create().bearer(badTenant))))
        .isEqualTo(DenialReason.MALFORMED_TENANT_ID);
  }

  @Test
  void leavesNonJwtBearersToOtherResolvers() {
    JwtTenantResolver resolver = hsResolver().build();
    assertThat(
            resolver.resolve(
                FakeRequest.create()
                    .bearer("tk.acme.AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")))
        .isEqualTo(TenantResolution.notApplicable());
    assertThat(resolver.resolve(FakeRequest.create())).isEqualTo(TenantResolution.notApplicable());
  }

  @Test
  void tokensWithAKeyIdAndAnAccessTokenTypeAreAccepted() throws Exception {
    KeyPair pair = rsa();
    JwtTenantResolver resolver = rsResolver(pair).build();
    // Identity providers name their signing key; with one configured key the kid is not needed.
    for (JWSHeader header :
        List.of(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("2024-rotation-a").build(),
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("k1")
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("application/at+jwt"))
                .build(),
            new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
            new JWSHeader(JWSAlgorithm.RS256))) {
      assertThat(
              resolver.resolve(FakeRequest.create().bearer(rs256(header, claims().build(), pair))))
          .as(header.toString())
          .isInstanceOf(TenantResolution.Resolved.class);
    }
    SignedJWT hs =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID("secret-1")
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            claims().build());
    hs.sign(new MACSigner(SECRET));
    assertThat(hsResolver().build().resolve(FakeRequest.create().bearer(hs.serialize())))
        .isInstanceOf(TenantResolution.Resolved.class);
    // Other types are other kinds of token (a DPoP proof, a logout token, a JOSE object): refused.
    for (String typ : List.of("dpop+jwt", "logout+jwt", "JOSE", "secevent+jwt")) {
      String token =
          rs256(
              new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType(typ)).build(),
              claims().build(),
              pair);
      assertThat(failure(resolver.resolve(FakeRequest.create().bearer(token))))
          .as(typ)
          .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    }
  }

  @Test
  void issuerAndAudienceAreRequiredUnlessTurnedOffForEveryKindOfKey() throws Exception {
    KeyPair pair = rsa();
    for (JwtTenantResolver.Builder b :
        List.of(
            JwtTenantResolver.builder().rs256((RSAPublicKey) pair.getPublic()),
            JwtTenantResolver.builder().hs256(SECRET),
            JwtTenantResolver.builder().jwkSetUri(URI.create("https://id.example.com/jwks")))) {
      assertThatThrownBy(b::build)
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("issuer"))
          .hasMessageContaining("withoutIssuer()");
      b.issuer("https://id.example.com");
      assertThatThrownBy(b::build)
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("audience"))
          .hasMessageContaining("withoutAudience()");
      b.audience("tenantkit").withoutAudience();
      assertThatThrownBy(b::build)
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("audience"));
    }
    // With both set, a token of the same identity provider for another application, or with no
    // audience or issuer, is refused; aud is a string or a list (RFC 7519).
    JwtTenantResolver resolver = rsResolver(pair).build();
    JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
    for (JWTClaimsSet c :
        List.of(
            claims().audience((String) null).build(),
            claims().audience("another-app").build(),
            claims().audience(List.of()).build(),
            claims().claim("aud", 42).build(),
            claims().issuer(null).build())) {
      assertThat(failure(resolver.resolve(FakeRequest.create().bearer(rs256(header, c, pair)))))
          .as(c.toString())
          .isEqualTo(DenialReason.INVALID_CREDENTIAL);
    }
    String listed =
        rs256(header, claims().audience(List.of("another-app", "tenantkit")).build(), pair);
    assertThat(resolver.resolve(FakeRequest.create().bearer(listed)))
        .isInstanceOf(TenantResolution.Resolved.class);
  }

  @Test
  void turningTheIssuerAndAudienceChecksOffIsExplicitAndLogged() throws Exception {
    KeyPair pair = rsa();
    Logger logger = (Logger) LoggerFactory.getLogger(JwtTenantResolver.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    JwtTenantResolver resolver;
    try {
      resolver =
          JwtTenantResolver.builder()
              .rs256((RSAPublicKey) pair.getPublic())
              .withoutIssuer()
              .withoutAudience()
              .clock(clock)
              .build();
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("any audience", "'tenant_id'"))
        .anySatisfy(m -> assertThat(m).contains("any issuer"));
    String token =
        rs256(
            new JWSHeader(JWSAlgorithm.RS256),
            claims().issuer(null).audience((String) null).build(),
            pair);
    assertThat(resolver.resolve(FakeRequest.create().bearer(token)))
        .isInstanceOf(TenantResolution.Resolved.class);
  }

  @Test
  void configurationIsValidated() {
    assertThatThrownBy(() -> JwtTenantResolver.builder().hs256(new byte[31]))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().build())
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().hs256(SECRET).hs256(SECRET))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().clockSkew(Duration.ofHours(1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().jwkSet("{\"keys\":[]}"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().jwkSet("not json"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().jwkSetUri(URI.create("file:/etc/jwks")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().jwsAlgorithms(Set.of("HS256")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JwtTenantResolver.builder().jwsAlgorithms(Set.of("none")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> hsResolver().jwsAlgorithms(Set.of("ES256")).build())
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () ->
                JwtTenantResolver.builder()
                    .jwkSetCache(Duration.ofSeconds(30), Duration.ofSeconds(30)))
        .isInstanceOf(InvalidInputException.class);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    return gen.generateKeyPair();
  }
}
