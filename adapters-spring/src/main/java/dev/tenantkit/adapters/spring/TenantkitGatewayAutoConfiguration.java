package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.spring.internal.GatewayPeerCheck;
import dev.tenantkit.adapters.spring.internal.TomcatPeerAddressValve;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes the gateway resolver ({@code tenantkit.resolvers.order} with {@code gateway}) check the TCP
 * peer of a request, not an address a forwarding header chose.
 *
 * <p>On an embedded Tomcat it adds {@link TomcatPeerAddressValve}, which hands the connection's
 * peer to the resolver whatever {@code server.forward-headers-strategy} says. On any other server,
 * with forwarded-header processing on, startup fails unless {@code
 * tenantkit.resolvers.gateway.allow-forwarded-headers=true} ({@link GatewayPeerCheck}).
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
  @Bean
  public GatewayPeerCheck.Outcome tenantkitGatewayPeerCheck(
      TenantkitProperties properties, Environment environment, ListableBeanFactory beans) {
    return GatewayPeerCheck.check(properties.resolvers(), environment, tcpPeerKnown(beans));
  }

  /** Whether an embedded Tomcat runs with {@link TomcatPeerAddressValve}. */
  private static boolean tcpPeerKnown(ListableBeanFactory beans) {
    if (!beans.containsBean(VALVE_BEAN)
        || !ClassUtils.isPresent(
            TOMCAT_FACTORY, TenantkitGatewayAutoConfiguration.class.getClassLoader())) {
      return false;
    }
    return Tomcat.hasFactory(beans);
  }

  /** Touches Tomcat types only when Tomcat is on the class path. */
  private static final class Tomcat {
    static boolean hasFactory(ListableBeanFactory beans) {
      return beans.getBeanNamesForType(TomcatServletWebServerFactory.class, true, false).length > 0;
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
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tenantkitTomcatPeerAddress() {
      return factory -> factory.addContextValves(new TomcatPeerAddressValve());
    }
  }
}
