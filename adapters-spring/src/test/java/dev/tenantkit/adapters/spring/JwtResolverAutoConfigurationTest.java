package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jwt.JwtTenantResolver;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import dev.tenantkit.tenancy.testkit.JwksServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The {@code jwt} resolver's JWK Set, issuer and audience properties. */
class JwtResolverAutoConfigurationTest {
  private static final String PREFIX = "tenantkit.resolvers.jwt.";
  private static final TenantId ACME = TenantId.of("acme");

  @TempDir Path dataDir;
  private final FakeClock clock = FakeClock.create();
  private JwksServer server;
  private RSAKey key;

  @BeforeEach
  void start() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("2026-01").generate();
    server = JwksServer.start();
    server.serve(new JWKSet(key).toPublicJWKSet().toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WebApplicationContextRunner web() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withBean(FakeClock.class, () -> clock)
        .withPropertyValues("tenantkit.data-dir=" + dataDir, "tenantkit.resolvers.order=jwt");
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .claim("tenant_id", "acme")
        .issuer("https://id.example.com")
        .audience("files-api")
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))));
  }

  private String token(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static TenantAccess.Decision check(TenantAccess access, String token) {
    return access.check(FakeRequest.create().bearer(token));
  }

  @Test
  void aJwkSetUriVerifiesTokensWithAKeyIdAndAnAccessTokenType() throws Exception {
    web()
        .withPropertyValues(
            PREFIX + "jwk-set-uri=" + server.uri(),
            PREFIX + "issuer=https://id.example.com",
            PREFIX + "audience=files-api")
        .run(
            ctx -> {
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              TenantAccess access = ctx.getBean(TenantAccess.class);
              assertThat(check(access, token(claims().build())))
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Granted.class,
                      g -> assertThat(g.binding().tenantId()).isEqualTo(ACME));
              assertThat(check(access, token(claims().audience("another-app").build())))
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Denied.class,
                      d -> assertThat(d.reason()).isEqualTo(DenialReason.INVALID_CREDENTIAL));
              assertThat(server.requests()).isEqualTo(1);
            });
  }

  @Test
  void aJwkSetLocationIsReadAtStartup() throws Exception {
    Path jwks = dataDir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key).toPublicJWKSet().toString());
    web()
        .withPropertyValues(
            PREFIX + "jwk-set-location=file:" + jwks,
            PREFIX + "issuer=https://id.example.com",
            PREFIX + "audience=files-api")
        .run(
            ctx -> {
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              assertThat(check(ctx.getBean(TenantAccess.class), token(claims().build())))
                  .isInstanceOf(TenantAccess.Decision.Granted.class);
            });
    Files.writeString(jwks, "{\"keys\":[]}");
    assertStartupFails(
        PREFIX + "jwk-set-location",
        "no public keys",
        PREFIX + "jwk-set-location=file:" + jwks,
        PREFIX + "issuer=https://id.example.com",
        PREFIX + "audience=files-api");
  }

  @Test
  void anIssuerAndAnAudienceAreRequiredUnlessTurnedOff() {
    String uri = PREFIX + "jwk-set-uri=" + server.uri();
    assertStartupFails(
        PREFIX + "audience",
        PREFIX + "require-audience=false",
        uri,
        PREFIX + "issuer=https://id.example.com");
    assertStartupFails(
        PREFIX + "issuer", PREFIX + "require-issuer=false", uri, PREFIX + "audience=files-api");
    assertStartupFails(
        PREFIX + "audience",
        "must be set",
        PREFIX + "hs256-secret=an-hs256-secret-of-at-least-32-bytes!",
        PREFIX + "issuer=https://id.example.com");
    assertStartupFails(
        PREFIX + "require-audience",
        "remove one of them",
        uri,
        PREFIX + "issuer=https://id.example.com",
        PREFIX + "audience=files-api",
        PREFIX + "require-audience=false");
  }

  @Test
  void turningTheAudienceCheckOffIsLoggedAtStartup() {
    Logger logger = (Logger) LoggerFactory.getLogger(JwtTenantResolver.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    Level level = logger.getLevel();
    // The test logging configuration shows errors only.
    logger.setLevel(Level.WARN);
    try {
      web()
          .withPropertyValues(
              PREFIX + "jwk-set-uri=" + server.uri(),
              PREFIX + "issuer=https://id.example.com",
              PREFIX + "require-audience=false")
          .run(
              ctx -> {
                assertThat(ctx).hasNotFailed();
                ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
                assertThat(
                        check(
                            ctx.getBean(TenantAccess.class),
                            token(claims().audience((String) null).build())))
                    .isInstanceOf(TenantAccess.Decision.Granted.class);
              });
    } finally {
      logger.setLevel(level);
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .satisfies(m -> assertThat(m).contains("any audience"));
  }

  @Test
  void keySourcesAndAlgorithmsAreValidated() {
    String issuer = PREFIX + "issuer=https://id.example.com";
    String audience = PREFIX + "audience=files-api";
    assertStartupFails(
        PREFIX + "hs256-secret",
        "only one of the four",
        PREFIX + "jwk-set-uri=" + server.uri(),
        PREFIX + "hs256-secret=an-hs256-secret-of-at-least-32-bytes!",
        issuer,
        audience);
    assertStartupFails(
        PREFIX + "jwk-set-uri",
        "https",
        PREFIX + "jwk-set-uri=ftp://id.example.com/jwks",
        issuer,
        audience);
    assertStartupFails(
        PREFIX + "jws-algorithms",
        "HS256",
        PREFIX + "jwk-set-uri=" + server.uri(),
        PREFIX + "jws-algorithms=RS256,HS256",
        issuer,
        audience);
    assertStartupFails(
        PREFIX + "jwk-set-refresh-interval",
        "time to live",
        PREFIX + "jwk-set-uri=" + server.uri(),
        PREFIX + "jwk-set-refresh-interval=10m",
        issuer,
        audience);
  }

  private void assertStartupFails(String property, String problem, String... properties) {
    StartupFailures.assertFailsNaming(web().withPropertyValues(properties), property, problem);
  }
}
