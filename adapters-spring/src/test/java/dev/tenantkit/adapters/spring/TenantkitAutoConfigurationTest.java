package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyFailureAnalyzer;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jdbc.JdbcTenancyStore;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantResolution;
import dev.tenantkit.tenancy.spi.TenantResolver;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.FakeRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.CharacterEncodingFilter;

class TenantkitAutoConfigurationTest {
  private static final String OPERATOR_KEY = "operator-key-for-tests-0123456789";
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  @TempDir Path dataDir;

  private WebApplicationContextRunner web() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues("tenantkit.data-dir=" + dataDir);
  }

  @Test
  void defaultsGiveAJdbcStoreOnAnEmbeddedDatabaseAndTheFilterButNoOperatorApi() {
    web()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).hasSingleBean(DataSource.class);
              assertThat(ctx.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
              assertThat(ctx.getBean(TenancyStore.class)).isInstanceOf(JdbcTenancyStore.class);
              assertThat(ctx)
                  .hasSingleBean(Tenancy.class)
                  .hasSingleBean(TenantResolver.class)
                  .hasSingleBean(TenantAccess.class)
                  .doesNotHaveBean(ServletRegistrationBean.class);
              FilterRegistrationBean<?> filter = filterRegistration(ctx);
              assertThat(filter.getFilter()).isInstanceOf(TenantFilter.class);
              assertThat(filter.getUrlPatterns()).containsExactly("/api/*");
              assertThat(filter.determineDispatcherTypes())
                  .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);

              IssuedKey acme = tenantWithKey(ctx.getBean(Tenancy.class), ACME);
              TenantAccess.Decision decision =
                  ctx.getBean(TenantAccess.class).check(FakeRequest.create().bearer(acme.secret()));
              assertThat(decision).isInstanceOf(TenantAccess.Decision.Granted.class);
              try (Stream<Path> files = Files.list(dataDir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("tenantkit"));
              }
            });
  }

  @Test
  void theEmbeddedDatabaseKeepsTenantsAcrossRestartsAndIsClosedOnShutdown() {
    HikariDataSource[] first = new HikariDataSource[1];
    web()
        .run(
            ctx -> {
              tenantWithKey(ctx.getBean(Tenancy.class), ACME);
              first[0] = ctx.getBean(HikariDataSource.class);
            });
    assertThat(first[0].isClosed()).isTrue();
    web()
        .run(
            ctx ->
                assertThat(ctx.getBean(Tenancy.class).tenants().find(ACME))
                    .hasValueSatisfying(t -> assertThat(t.name()).isEqualTo("Tenant acme")));
  }

  @Test
  void theApplicationsDataSourceIsUsedWhenThereIsOne() throws Exception {
    try (HikariDataSource appDb = EmbeddedDatabase.h2InMemory("app-db")) {
      web()
          .withBean("appDataSource", DataSource.class, () -> appDb)
          .run(
              ctx -> {
                assertThat(ctx).hasSingleBean(DataSource.class);
                assertThat(ctx.getBean(DataSource.class)).isSameAs(appDb);
                tenantWithKey(ctx.getBean(Tenancy.class), ACME);
                TenancyStore direct = JdbcTenancyStore.builder(appDb).migrate(false).build();
                assertThat(direct.tenants().find(ACME)).isPresent();
              });
      try (Stream<Path> files = Files.list(dataDir)) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void aDataSourceSpringBootMakesFromItsPropertiesIsUsed() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues(
            "tenantkit.data-dir=" + dataDir,
            "spring.datasource.url=jdbc:h2:mem:boot-made;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasSingleBean(DataSource.class)
                  .doesNotHaveBean("tenantkitDataSource");
              assertThat(ctx.getBean(HikariDataSource.class).getJdbcUrl())
                  .startsWith("jdbc:h2:mem:boot-made");
              tenantWithKey(ctx.getBean(Tenancy.class), ACME);
            });
  }

  @Test
  void withSpringJdbcButNoUrlTheEmbeddedFileDatabaseIsTheOneDataSource() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                FlywayAutoConfiguration.class,
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues(
            "tenantkit.data-dir=" + dataDir, "spring.flyway.locations=classpath:db/app-migration")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).hasSingleBean(DataSource.class).hasBean("tenantkitDataSource");
              assertThat(ctx.getBean(HikariDataSource.class).getJdbcUrl())
                  .startsWith("jdbc:h2:file:")
                  .contains(dataDir.toString());
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              new JdbcTemplate(ctx.getBean(DataSource.class))
                  .update("insert into projects (tenant_id, name) values ('acme', 'roof')");
            });
    web()
        .run(
            ctx ->
                assertThat(ctx.getBean(Tenancy.class).tenants().find(ACME))
                    .as("kept in the file database, not in one Spring Boot made in memory")
                    .isPresent());
  }

  @Test
  void tenantkitMigratesBeforeTheApplicationsFlywayWhoseFirstMigrationStillRuns() {
    flywayApp("flyway-first")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              JdbcTemplate jdbc = new JdbcTemplate(ctx.getBean(DataSource.class));
              jdbc.update("insert into projects (tenant_id, name) values ('acme', 'roof')");
              assertThat(
                      jdbc.queryForList(
                          "select version from flyway_schema_history where success and version is not null"
                              + " order by installed_rank",
                          String.class))
                  .containsExactly("0", "1");
            });
  }

  @Test
  void theApplicationsOwnFlywayBaselineSettingsAreLeftAlone() {
    flywayApp("flyway-own-baseline")
        .withPropertyValues("spring.flyway.baseline-on-migrate=false")
        .run(
            ctx ->
                assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("non-empty schema"));
  }

  private WebApplicationContextRunner flywayApp(String database) {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                FlywayAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues(
            "tenantkit.data-dir=" + dataDir,
            "spring.datasource.url=jdbc:h2:mem:"
                + database
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
            "spring.flyway.locations=classpath:db/app-migration");
  }

  @Test
  void anApplicationTenancyStoreNeedsNoDataSource() {
    InMemoryTenancyStore store = InMemoryTenancyStore.create();
    web()
        .withBean(TenancyStore.class, () -> store)
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(DataSource.class);
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              assertThat(store.tenants().find(ACME)).isPresent();
            });
  }

  @Test
  void eachBeanBacksOffForTheApplicationsOwn() {
    web()
        .withPropertyValues("tenantkit.operator-key=" + OPERATOR_KEY)
        .withUserConfiguration(UserBeans.class)
        .run(
            ctx -> {
              UserBeans mine = ctx.getBean(UserBeans.class);
              assertThat(ctx.getBean(Tenancy.class)).isSameAs(mine.tenancy);
              assertThat(ctx.getBean(TenantResolver.class)).isSameAs(mine.resolver);
              assertThat(ctx.getBean(TenantAccess.class)).isSameAs(mine.access);
              assertThat(ctx.getBeansOfType(FilterRegistrationBean.class))
                  .containsOnlyKeys("myFilter");
              assertThat(ctx.getBeansOfType(ServletRegistrationBean.class))
                  .containsOnlyKeys("myAdmin");
            });
  }

  @Test
  void theApplicationsDataSourceAndStoreReplaceTheDefaults() {
    try (HikariDataSource appDb = EmbeddedDatabase.h2InMemory("override-db")) {
      TenancyStore store = InMemoryTenancyStore.create();
      web()
          .withBean(DataSource.class, () -> appDb)
          .withBean(TenancyStore.class, () -> store)
          .run(
              ctx -> {
                assertThat(ctx.getBean(DataSource.class)).isSameAs(appDb);
                assertThat(ctx.getBean(TenancyStore.class)).isSameAs(store);
              });
    }
  }

  @Test
  void otherFilterRegistrationsDoNotTurnTheTenantFilterOff() {
    web()
        .withUserConfiguration(OtherFilter.class)
        .run(
            ctx ->
                assertThat(ctx.getBeansOfType(FilterRegistrationBean.class))
                    .containsOnlyKeys("encoding", "tenantFilterRegistration"));
  }

  @Test
  void theOperatorApiIsServedUnderTheAdminPathWhenAnOperatorKeyIsSet() {
    web()
        .withPropertyValues("tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx -> {
              ServletRegistrationBean<?> admin = ctx.getBean(ServletRegistrationBean.class);
              assertThat(admin.getServlet()).isInstanceOf(TenantAdminServlet.class);
              assertThat(admin.getUrlMappings()).containsExactly("/admin/*");
            });
    web()
        .withPropertyValues("tenantkit.operator-key=" + OPERATOR_KEY, "tenantkit.admin.path=/ops")
        .run(
            ctx ->
                assertThat(ctx.getBean(ServletRegistrationBean.class).getUrlMappings())
                    .containsExactly("/ops/*"));
  }

  @Test
  void switchesTurnFeaturesOff() {
    web()
        .withPropertyValues("tenantkit.enabled=false", "tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(TenantkitProperties.class)
                    .doesNotHaveBean(DataSource.class)
                    .doesNotHaveBean(Tenancy.class)
                    .doesNotHaveBean(TenantAccess.class)
                    .doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(ServletRegistrationBean.class));
    web()
        .withPropertyValues(
            "tenantkit.filter.enabled=false", "tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(Tenancy.class)
                    .doesNotHaveBean(FilterRegistrationBean.class)
                    .hasSingleBean(ServletRegistrationBean.class));
    web()
        .withPropertyValues(
            "tenantkit.admin.enabled=false", "tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(ServletRegistrationBean.class));
    web()
        .withPropertyValues("tenantkit.operator-key=   ")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ServletRegistrationBean.class));
  }

  @Test
  void outsideAServletWebApplicationOnlyTheCoreBeansAreMade() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues(
            "tenantkit.data-dir=" + dataDir, "tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(Tenancy.class)
                    .hasSingleBean(TenantAccess.class)
                    .doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(ServletRegistrationBean.class));
  }

  @Test
  void filterPropertiesReachTheFilter() {
    web()
        .withPropertyValues(
            "tenantkit.filter.url-patterns=/api/*,/v2/*",
            "tenantkit.filter.exclude-paths=/api/public/**",
            "tenantkit.filter.scopes[/api/files/admin/**]=files:admin",
            "tenantkit.filter.scopes[/api/files/**]=files:read",
            "tenantkit.filter.order=-5")
        .run(
            ctx -> {
              FilterRegistrationBean<?> registration = filterRegistration(ctx);
              assertThat(registration.getUrlPatterns()).containsExactly("/api/*", "/v2/*");
              assertThat(registration.getOrder()).isEqualTo(-5);

              Tenancy tenancy = ctx.getBean(Tenancy.class);
              tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
              String reader =
                  tenancy
                      .apiKeys()
                      .issue(ACME, new ApiKeyRequest("reader", Set.of("files:read"), null))
                      .secret();
              Filter filter = registration.getFilter();

              assertThat(status(filter, "/api/public/status", null)).isEqualTo(200);
              assertThat(status(filter, "/api/other", null)).isEqualTo(401);
              assertThat(status(filter, "/api/files/list", reader)).isEqualTo(200);
              // The more specific rule is written first, so it wins for admin paths.
              assertThat(status(filter, "/api/files/admin/purge", reader)).isEqualTo(403);
            });
  }

  private static int status(Filter filter, String path, String bearer) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    if (bearer != null) {
      request.addHeader("Authorization", "Bearer " + bearer);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response.getStatus();
  }

  @Test
  void resolversAreChainedInTheConfiguredOrder() {
    web()
        .withPropertyValues(
            "tenantkit.resolvers.order=subdomain,api-key",
            "tenantkit.resolvers.subdomain.base-domain=app.example.com")
        .run(
            ctx -> {
              Tenancy tenancy = ctx.getBean(Tenancy.class);
              IssuedKey acme = tenantWithKey(tenancy, ACME);
              tenantWithKey(tenancy, GLOBEX);
              TenantAccess access = ctx.getBean(TenantAccess.class);

              assertThat(
                      access.check(
                          FakeRequest.create().host("acme.app.example.com").bearer(acme.secret())))
                  .isInstanceOf(TenantAccess.Decision.Granted.class);
              assertThat(
                      access.check(
                          FakeRequest.create()
                              .host("globex.app.example.com")
                              .bearer(acme.secret())))
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Denied.class,
                      d -> assertThat(d.reason()).isEqualTo(DenialReason.TENANT_MISMATCH));
            });
  }

  @Test
  void theGatewayIsTrustedOnlyFromItsAddresses() {
    web()
        .withPropertyValues(
            "tenantkit.resolvers.order=gateway,api-key",
            "tenantkit.resolvers.gateway.trusted-proxies=10.0.0.0/8",
            "tenantkit.resolvers.gateway.scopes=files:read")
        .run(
            ctx -> {
              tenantWithKey(ctx.getBean(Tenancy.class), ACME);
              TenantAccess access = ctx.getBean(TenantAccess.class);
              TenantAccess.Decision fromGateway =
                  access.check(
                      FakeRequest.create()
                          .from("10.1.2.3")
                          .header(TenantResolvers.TENANT_HEADER, "acme"));
              assertThat(fromGateway)
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Granted.class,
                      g -> {
                        assertThat(g.binding().tenantId()).isEqualTo(ACME);
                        assertThat(g.binding().scopes()).containsExactly("files:read");
                      });
              TenantAccess.Decision fromElsewhere =
                  access.check(
                      FakeRequest.create()
                          .from("203.0.113.9")
                          .header(TenantResolvers.TENANT_HEADER, "acme"));
              assertThat(fromElsewhere).isInstanceOf(TenantAccess.Decision.Denied.class);
            });
  }

  @Test
  void theApplicationsClockAndEventListenersAreUsed() {
    FakeClock clock = FakeClock.create();
    List<TenantEvent> heard = new CopyOnWriteArrayList<>();
    web()
        .withBean(FakeClock.class, () -> clock)
        .withBean(TenantEventListener.class, () -> heard::add)
        .run(
            ctx -> {
              TenantService tenants = ctx.getBean(Tenancy.class).tenants();
              tenants.create(NewTenant.of(ACME, "Acme", "free"));
              assertThat(tenants.get(ACME).createdAt()).isEqualTo(clock.instant());
              assertThat(heard)
                  .extracting(TenantEvent::type)
                  .containsExactly(TenantEvent.Type.CREATED);
            });
  }

  @Test
  void aShortOperatorKeyStopsStartupNamingTheProperty() {
    assertStartupFails("tenantkit.operator-key", "at least 16", "tenantkit.operator-key=too-short");
  }

  @Test
  void anOperatorKeyWithWhitespaceStopsStartup() {
    assertStartupFails(
        "tenantkit.operator-key",
        "whitespace",
        "tenantkit.operator-key=sixteen or more characters");
  }

  @Test
  void badResolverSettingsStopStartupNamingTheProperty() {
    assertStartupFails(
        "tenantkit.resolvers.order",
        "unknown resolver 'cookie'",
        "tenantkit.resolvers.order=cookie");
    assertStartupFails(
        "tenantkit.resolvers.order", "twice", "tenantkit.resolvers.order=api-key,api-key");
    assertStartupFails(
        "tenantkit.resolvers.subdomain.base-domain",
        "must be set",
        "tenantkit.resolvers.order=subdomain");
    assertStartupFails(
        "tenantkit.resolvers.path-prefix.prefix",
        "start and end with '/'",
        "tenantkit.resolvers.order=path-prefix",
        "tenantkit.resolvers.path-prefix.prefix=t");
    assertStartupFails(
        "tenantkit.resolvers.gateway.trusted-proxies",
        "must list",
        "tenantkit.resolvers.order=gateway");
    assertStartupFails(
        "tenantkit.resolvers.gateway",
        "not valid",
        "tenantkit.resolvers.order=gateway",
        "tenantkit.resolvers.gateway.trusted-proxies=not-an-address");
    assertStartupFails(
        "tenantkit.resolvers.jwt.hs256-secret", "must be set", "tenantkit.resolvers.order=jwt");
    assertStartupFails(
        "tenantkit.resolvers.jwt.hs256-secret",
        "32 bytes",
        "tenantkit.resolvers.order=jwt",
        "tenantkit.resolvers.jwt.hs256-secret=short");
  }

  @Test
  void badFilterAndAdminSettingsStopStartupNamingTheProperty() {
    assertStartupFails(
        "tenantkit.filter.scopes", "in brackets", "tenantkit.filter.scopes.files=files:write");
    assertStartupFails(
        "tenantkit.filter.scopes[/api/files/**]",
        "not valid",
        "tenantkit.filter.scopes[/api/files/**]=Not A Scope");
    assertStartupFails(
        "tenantkit.filter.exclude-paths",
        "not valid",
        "tenantkit.filter.exclude-paths=/api/*/public");
    assertStartupFails(
        "tenantkit.filter.url-patterns", "starts with '/'", "tenantkit.filter.url-patterns=api");
    assertStartupFails(
        "tenantkit.admin.path",
        "such as /admin",
        "tenantkit.operator-key=" + OPERATOR_KEY,
        "tenantkit.admin.path=/admin/");
  }

  @Test
  void theFailureReportNamesThePropertyAndTheFix() {
    InvalidPropertyException cause =
        new InvalidPropertyException("tenantkit.operator-key", "is 3 characters long");
    FailureAnalysis analysis =
        new InvalidPropertyFailureAnalyzer().analyze(new IllegalStateException("wrapped", cause));
    assertThat(analysis.getDescription())
        .isEqualTo(
            "Tenantkit cannot start: the property 'tenantkit.operator-key' is 3 characters long.");
    assertThat(analysis.getAction()).contains("tenantkit.operator-key", "tenantkit.enabled=false");
  }

  @Test
  void propertyMetadataIsGeneratedWithDefaultsAndHints() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, String> defaults = new HashMap<>();
    metadata
        .get("properties")
        .forEach(
            p -> {
              assertThat(p.path("description").asText()).as(p.toString()).isNotBlank();
              defaults.put(p.get("name").asText(), p.path("defaultValue").toString());
            });
    assertThat(defaults)
        .containsEntry("tenantkit.enabled", "true")
        .containsEntry("tenantkit.data-dir", "\"./data\"")
        .containsEntry("tenantkit.admin.path", "\"/admin\"")
        .containsEntry("tenantkit.filter.url-patterns", "\"/api/*\"")
        .containsEntry("tenantkit.resolvers.order", "\"api-key\"")
        .containsEntry("tenantkit.resolvers.jwt.tenant-claim", "\"tenant_id\"")
        .containsKeys(
            "tenantkit.operator-key",
            "tenantkit.migrate",
            "tenantkit.filter.exclude-paths",
            "tenantkit.filter.scopes",
            "tenantkit.resolvers.subdomain.base-domain",
            "tenantkit.resolvers.path-prefix.prefix",
            "tenantkit.resolvers.gateway.trusted-proxies",
            "tenantkit.resolvers.jwt.hs256-secret",
            "tenantkit.resolvers.jwt.rs256-public-key-location");
    assertThat(metadata.get("hints").get(0).get("values").findValuesAsText("value"))
        .containsExactlyElementsOf(
            List.of("api-key", "jwt", "subdomain", "path-prefix", "gateway"));
  }

  @Test
  void theJwtResolverVerifiesHs256TokensWithTheConfiguredSecret() throws Exception {
    String secret = "an-hs256-secret-of-at-least-32-bytes!";
    FakeClock clock = FakeClock.create();
    web()
        .withBean(FakeClock.class, () -> clock)
        .withPropertyValues(
            "tenantkit.resolvers.order=jwt,api-key",
            "tenantkit.resolvers.jwt.hs256-secret=" + secret,
            "tenantkit.resolvers.jwt.issuer=https://id.example.com",
            "tenantkit.resolvers.jwt.audience=files-api")
        .run(
            ctx -> {
              tenantWithKey(ctx.getBean(Tenancy.class), ACME);
              TenantAccess access = ctx.getBean(TenantAccess.class);
              JWTClaimsSet.Builder claims =
                  new JWTClaimsSet.Builder()
                      .claim("tenant_id", "acme")
                      .issuer("https://id.example.com")
                      .audience("files-api")
                      .expirationTime(Date.from(clock.instant().plusSeconds(300)));
              assertThat(access.check(FakeRequest.create().bearer(hs256(claims.build(), secret))))
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Granted.class,
                      g -> assertThat(g.binding().tenantId()).isEqualTo(ACME));

              String otherIssuer = hs256(claims.issuer("https://evil.example.com").build(), secret);
              assertThat(access.check(FakeRequest.create().bearer(otherIssuer)))
                  .isInstanceOfSatisfying(
                      TenantAccess.Decision.Denied.class,
                      d -> assertThat(d.reason()).isEqualTo(DenialReason.INVALID_CREDENTIAL));
            });
  }

  @Test
  void theJwtResolverReadsAnRs256PublicKeyFromItsLocation() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path pem = dataDir.resolve("issuer.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    web()
        .withPropertyValues(
            "tenantkit.resolvers.order=jwt",
            "tenantkit.resolvers.jwt.rs256-public-key-location=file:" + pem,
            "tenantkit.resolvers.jwt.issuer=https://id.example.com",
            "tenantkit.resolvers.jwt.audience=files-api")
        .run(
            ctx -> {
              tenantWithKey(ctx.getBean(Tenancy.class), ACME);
              SignedJWT jwt =
                  new SignedJWT(
                      new JWSHeader(JWSAlgorithm.RS256),
                      new JWTClaimsSet.Builder()
                          .claim("tenant_id", "acme")
                          .issuer("https://id.example.com")
                          .audience("files-api")
                          .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                          .build());
              jwt.sign(new RSASSASigner(pair.getPrivate()));
              assertThat(
                      ctx.getBean(TenantAccess.class)
                          .check(FakeRequest.create().bearer(jwt.serialize())))
                  .isInstanceOf(TenantAccess.Decision.Granted.class);
            });
    Files.writeString(pem, "not a key");
    assertStartupFails(
        "tenantkit.resolvers.jwt.rs256-public-key-location",
        "PEM",
        "tenantkit.resolvers.order=jwt",
        "tenantkit.resolvers.jwt.rs256-public-key-location=file:" + pem);
  }

  private static String hs256(JWTClaimsSet claims, String secret) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private void assertStartupFails(String property, String problem, String... properties) {
    web()
        .withPropertyValues(properties)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              Throwable failure = ctx.getStartupFailure();
              InvalidPropertyException cause = findCause(failure);
              assertThat(cause).as("cause of %s", failure).isNotNull();
              assertThat(cause.property()).isEqualTo(property);
              assertThat(cause.getMessage()).contains(problem);
            });
  }

  private static InvalidPropertyException findCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidPropertyException e) {
        return e;
      }
    }
    return null;
  }

  private static FilterRegistrationBean<?> filterRegistration(AssertableWebApplicationContext ctx) {
    return ctx.getBean(FilterRegistrationBean.class);
  }

  private static IssuedKey tenantWithKey(Tenancy tenancy, TenantId id) {
    tenancy.tenants().create(NewTenant.of(id, "Tenant " + id, "free"));
    return new IssuedKey(tenancy.apiKeys().issue(id, ApiKeyRequest.fullAccess("test")).secret());
  }

  private record IssuedKey(String secret) {}

  /** An application that defines every bean Tenantkit would, typed as an application would. */
  @Configuration(proxyBeanMethods = false)
  static class UserBeans {
    final Tenancy tenancy = Tenancy.builder().build();
    final TenantResolver resolver = request -> TenantResolution.notApplicable();
    final TenantAccess access = TenantAccess.of(resolver, tenancy.tenants());

    @Bean
    Tenancy myTenancy() {
      return tenancy;
    }

    @Bean
    TenantResolver myResolver() {
      return resolver;
    }

    @Bean
    TenantAccess myAccess() {
      return access;
    }

    @Bean
    FilterRegistrationBean<TenantFilter> myFilter() {
      return new FilterRegistrationBean<>(TenantFilter.builder(access).build());
    }

    @Bean
    ServletRegistrationBean<TenantAdminServlet> myAdmin() {
      return new ServletRegistrationBean<>(
          TenantAdminServlet.builder(tenancy, OPERATOR_KEY).build(), "/ops/*");
    }
  }

  /** An application that registers a filter of its own. */
  @Configuration(proxyBeanMethods = false)
  static class OtherFilter {
    @Bean
    FilterRegistrationBean<CharacterEncodingFilter> encoding() {
      return new FilterRegistrationBean<>(new CharacterEncodingFilter("UTF-8"));
    }
  }
}
