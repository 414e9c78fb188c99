package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.adapters.spring.internal.GatewayPeerCheck;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/**
 * When forwarded-header processing is on, the gateway resolver either checks the TCP peer (an
 * embedded Tomcat) or the application does not start unless that was explicitly allowed. The
 * request-level behaviour is in {@code web.GatewayBehindForwardingTest}.
 */
class GatewayForwardedHeadersConfigTest {
  @TempDir Path dataDir;

  private WebApplicationContextRunner gateway(String... properties) {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitGatewayAutoConfiguration.class))
        .withPropertyValues(
            "tenantkit.data-dir=" + dataDir,
            "tenantkit.resolvers.order=api-key,gateway",
            "tenantkit.resolvers.gateway.trusted-proxies=10.1.2.3")
        .withPropertyValues(properties);
  }

  /** No embedded Tomcat here (as with Jetty or Undertow), so the TCP peer is unknown. */
  @Test
  void forwardedHeadersWithoutTheTcpPeerStopStartup() {
    for (String[] forwarding :
        new String[][] {
          {"server.forward-headers-strategy=native"},
          {"server.forward-headers-strategy=framework"},
          {"spring.main.cloud-platform=kubernetes"},
          {"spring.main.cloud-platform=cloud_foundry"}
        }) {
      gateway(forwarding)
          .run(
              ctx -> {
                assertThat(ctx).as(forwarding[0]).hasFailed();
                InvalidPropertyException cause =
                    StartupFailures.invalidProperty(ctx.getStartupFailure());
                assertThat(cause).as(forwarding[0]).isNotNull();
                assertThat(cause.property()).isEqualTo(GatewayPeerCheck.ALLOW);
                assertThat(cause.getMessage()).contains("X-Forwarded-For", "forward-headers");
              });
    }
  }

  @Test
  void anExplicitAllowanceStartsWithAWarning() {
    gateway(
            "server.forward-headers-strategy=native",
            "tenantkit.resolvers.gateway.allow-forwarded-headers=true")
        .run(
            ctx ->
                assertThat(ctx.getBean(GatewayPeerCheck.Outcome.class))
                    .isEqualTo(GatewayPeerCheck.Outcome.FORWARDED_ALLOWED));
  }

  /**
   * A war deployed to a Tomcat: Boot defines the Tomcat factory and the valve's customizer runs on
   * it, but no embedded server is created, so the valve never reaches the serving Tomcat. The
   * embedded case, where the check passes, is in {@code web.GatewayBehindForwardingTest}.
   */
  @Test
  void aTomcatFactoryWithoutItsEmbeddedServerIsNoTcpPeer() {
    gateway("server.forward-headers-strategy=framework")
        .withBean(TomcatServletWebServerFactory.class, TomcatServletWebServerFactory::new)
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              InvalidPropertyException cause =
                  StartupFailures.invalidProperty(ctx.getStartupFailure());
              assertThat(cause).isNotNull();
              assertThat(cause.property()).isEqualTo(GatewayPeerCheck.ALLOW);
            });
  }

  @Test
  void withoutForwardingOrWithoutTheGatewayNothingIsChecked() {
    gateway()
        .run(
            ctx ->
                assertThat(ctx.getBean(GatewayPeerCheck.Outcome.class))
                    .isEqualTo(GatewayPeerCheck.Outcome.NO_FORWARDING));
    gateway("server.forward-headers-strategy=none", "spring.main.cloud-platform=kubernetes")
        .run(
            ctx ->
                assertThat(ctx.getBean(GatewayPeerCheck.Outcome.class))
                    .isEqualTo(GatewayPeerCheck.Outcome.NO_FORWARDING));
    gateway("tenantkit.resolvers.order=api-key", "server.forward-headers-strategy=framework")
        .run(
            ctx ->
                assertThat(ctx.getBean(GatewayPeerCheck.Outcome.class))
                    .isEqualTo(GatewayPeerCheck.Outcome.NOT_USED));
  }

  @Test
  void aTrustedProxyThatIsNotALiteralAddressStopsStartupNamingIt() {
    for (String bad : new String[] {"10/8", "010.0.0.1", "0x0a.0.0.1", "1.2.3", "localhost"}) {
      gateway("tenantkit.resolvers.gateway.trusted-proxies=" + bad)
          .run(
              ctx -> {
                assertThat(ctx).as(bad).hasFailed();
                InvalidPropertyException cause =
                    StartupFailures.invalidProperty(ctx.getStartupFailure());
                assertThat(cause).as(bad).isNotNull();
                assertThat(cause.property()).startsWith("tenantkit.resolvers.gateway");
                assertThat(cause.getMessage()).contains("'" + bad + "'");
              });
    }
  }
}
