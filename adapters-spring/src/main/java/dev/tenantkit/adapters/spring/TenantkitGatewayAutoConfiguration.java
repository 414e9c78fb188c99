package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.spring.internal.GatewayPeerCheck;
import dev.tenantkit.adapters.spring.internal.TomcatPeerAddressValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes the gateway resolver ({@code tenantkit.resolvers.order} with {@code gateway}) check the TCP
 * peer of a request, not an address a forwarding header chose.
 *
 * <p>On an embedded Tomcat it adds {@link TomcatPeerAddressValve}, which hands the connection's
 * peer to the resolver whatever {@code server.forward-headers-strategy} says. On any other server
 * (Jetty, Undertow, or a war in an external container), with forwarded-header processing on,
 * startup fails unless {@code tenantkit.resolvers.gateway.allow-forwarded-headers=true} ({@link
 * GatewayPeerCheck}).
 */
@AutoConfiguration(after = TenantkitAutoConfiguration.class)
@EnableConfigurationProperties(TenantkitProperties.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class TenantkitGatewayAutoConfiguration {
  private static final String TOMCAT_FACTORY =
      "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory";
  private static final String TOMCAT_SERVER =
      "org.springframework.boot.web.embedded.tomcat.TomcatWebServer";
  private static final String VALVE_BEAN = "tenantkitTomcatPeerAddress";

  /** Created by Spring. */
  public TenantkitGatewayAutoConfiguration() {}

  /**
   * Checks, when the application starts, that the gateway resolver will check the TCP peer, or that
   * checking a forwarded address was explicitly allowed.
   *
   * @throws dev.tenantkit.adapters.spring.internal.InvalidPropertyException if forwarded headers
   *     are processed, the server does not hand over the TCP peer and that is not allowed
   */
  // Deliberately without @ConditionalOnMissingBean: a bean of the same type must not switch off
  // a security check.
  @Bean
  public GatewayPeerCheck.Outcome tenantkitGatewayPeerCheck(
      TenantkitProperties properties, Environment environment, ApplicationContext context) {
    return GatewayPeerCheck.check(properties.resolvers(), environment, tcpPeerKnown(context));
  }

  /**
   * Whether this application runs its own embedded Tomcat, built with {@link
   * TomcatPeerAddressValve}. The server is created before singletons such as the check are, so it
   * is there to be seen. In a war deployed to a Tomcat, Boot still defines the Tomcat factory (and
   * the customizer still runs on it), but no embedded server is created and the valve never reaches
   * the Tomcat that serves requests: that is not a known TCP peer.
   */
  private static boolean tcpPeerKnown(ApplicationContext context) {
    return context.containsBean(VALVE_BEAN)
        && ClassUtils.isPresent(
            TOMCAT_SERVER, TenantkitGatewayAutoConfiguration.class.getClassLoader())
        && context instanceof WebServerApplicationContext web
        && Tomcat.isEmbeddedTomcat(web.getWebServer());
  }

  /** Touches Tomcat types only when Tomcat is on the class path. */
  private static final class Tomcat {
    static boolean isEmbeddedTomcat(WebServer server) {
      return server instanceof TomcatWebServer;
    }
  }

  /** The valve, on an embedded Tomcat. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.apache.catalina.valves.ValveBase", TOMCAT_FACTORY})
  static class TomcatPeer {
    /**
     * Adds {@link TomcatPeerAddressValve} to the embedded Tomcat's context.
     *
     * @return the customizer
     */
    @Bean(VALVE_BEAN)
    @ConditionalOnMissingBean(name = VALVE_BEAN)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tenantkitTomcatPeerAddress() {
      return factory -> factory.addContextValves(new TomcatPeerAddressValve());
    }
  }
}
