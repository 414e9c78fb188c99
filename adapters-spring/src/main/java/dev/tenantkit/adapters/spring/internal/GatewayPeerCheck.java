package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties.ForwardHeadersStrategy;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Decides at startup whether the gateway resolver can trust what it checks. The resolver trusts
 * {@code X-Tenant-ID} by the address of the request's peer; with forwarded-header processing on
 * ({@code server.forward-headers-strategy=native} or {@code framework}, or Spring Boot's default on
 * Kubernetes and Cloud Foundry), {@code getRemoteAddr()} is an address from {@code
 * X-Forwarded-For}, which any client can send. That is safe only where the TCP peer is read instead
 * (an embedded Tomcat, through {@link TomcatPeerAddressValve}); elsewhere startup fails unless
 * {@code tenantkit.resolvers.gateway.allow-forwarded-headers=true}, which is logged as a warning.
 * Stateless.
 */
public final class GatewayPeerCheck {
  /** The property that lets the application start with forwarded headers and no TCP peer. */
  public static final String ALLOW = "tenantkit.resolvers.gateway.allow-forwarded-headers";

  private static final Logger LOG = LoggerFactory.getLogger(GatewayPeerCheck.class);

  /** What the gateway resolver checks, as decided at startup. */
  public enum Outcome {
    /** The gateway resolver is not in {@code tenantkit.resolvers.order}. */
    NOT_USED,
    /** No forwarded-header processing is on, so {@code getRemoteAddr()} is the TCP peer. */
    NO_FORWARDING,
    /** Forwarded headers are processed, but the TCP peer is read from the connection. */
    TCP_PEER,
    /** Forwarded headers decide the checked address, as explicitly allowed. */
    FORWARDED_ALLOWED
  }

  private GatewayPeerCheck() {}

  /**
   * Checks the configuration.
   *
   * @param resolvers the {@code tenantkit.resolvers} properties
   * @param environment where {@code server.forward-headers-strategy} and the cloud platform are
   *     read
   * @param tcpPeerKnown whether the server hands the resolver the TCP peer ({@link
   *     TomcatPeerAddressValve} on an embedded Tomcat)
   * @return what the gateway resolver will check
   * @throws InvalidPropertyException naming {@value #ALLOW} if forwarded headers are processed, the
   *     TCP peer is not known and that is not allowed
   */
  public static Outcome check(
      TenantkitProperties.Resolvers resolvers, Environment environment, boolean tcpPeerKnown) {
    boolean used = ResolverChain.uses(resolvers, "gateway");
    if (!used) {
      return Outcome.NOT_USED;
    }
    String forwarding = forwarding(environment);
    if (forwarding == null) {
      return Outcome.NO_FORWARDING;
    }
    if (tcpPeerKnown) {
      LOG.info(
          "Tenantkit's gateway resolver checks the TCP peer of each request against"
              + " tenantkit.resolvers.gateway.trusted-proxies; {} rewrites getRemoteAddr() from"
              + " X-Forwarded-For, but not that.",
          forwarding);
      return Outcome.TCP_PEER;
    }
    if (!resolvers.gateway().allowForwardedHeaders()) {
      throw new InvalidPropertyException(
          ALLOW,
          "is false, but "
              + forwarding
              + " makes getRemoteAddr() an address from X-Forwarded-For, which any client can"
              + " send, and this server does not hand Tenantkit the TCP peer, so the gateway"
              + " resolver could be fooled into trusting X-Tenant-ID. Run on the embedded"
              + " Tomcat, set server.forward-headers-strategy=none, or, if only the gateway can"
              + " reach this application and it overwrites X-Forwarded-For, set "
              + ALLOW
              + "=true (see docs/deployment.md)");
    }
    LOG.warn(
        "Tenantkit's gateway resolver trusts X-Tenant-ID by an address that {} takes from"
            + " X-Forwarded-For, because {}=true: anyone who can reach this application directly"
            + " can choose a tenant. Only the gateway must be able to reach it.",
        forwarding,
        ALLOW);
    return Outcome.FORWARDED_ALLOWED;
  }

  /**
   * What processes forwarded headers, described for a message, or null if nothing does. Mirrors how
   * Spring Boot decides: an explicit {@code server.forward-headers-strategy}, else the detected
   * cloud platform's default.
   */
  private static String forwarding(Environment environment) {
    ForwardHeadersStrategy strategy =
        Binder.get(environment)
            .bind("server.forward-headers-strategy", ForwardHeadersStrategy.class)
            .orElse(null);
    if (strategy == ForwardHeadersStrategy.NATIVE) {
      return "server.forward-headers-strategy=native (the server's own forwarding support, such"
          + " as Tomcat's RemoteIpValve)";
    }
    if (strategy == ForwardHeadersStrategy.FRAMEWORK) {
      return "server.forward-headers-strategy=framework (Spring's ForwardedHeaderFilter)";
    }
    if (strategy == null) {
      CloudPlatform platform = CloudPlatform.getActive(environment);
      if (platform != null && platform.isUsingForwardHeaders()) {
        return "Spring Boot's forwarded-header processing, on by default on "
            + platform
            + " (server.forward-headers-strategy is not set)";
      }
    }
    return null;
  }
}
