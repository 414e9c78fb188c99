package dev.tenantkit.examples.servlet;

import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantResolvers;
import jakarta.servlet.DispatcherType;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain embedded Jetty 12 app with Tenantkit: tenants on the in-memory store, the tenant API
 * under {@code /api/*} behind {@link TenantFilter} with API keys, and the operator API under {@code
 * /admin/*}.
 *
 * <pre>
 * java ... dev.tenantkit.examples.servlet.ServletApp [port]    (default 8081)
 * </pre>
 *
 * The operator key comes from the environment variable {@value #OPERATOR_KEY_ENV}; without it a
 * random one is generated and printed.
 */
public final class ServletApp {
  /** The environment variable that holds the operator key. */
  public static final String OPERATOR_KEY_ENV = "TENANTKIT_OPERATOR_KEY";

  private static final int DEFAULT_PORT = 8081;

  private ServletApp() {}

  /**
   * Starts the app and serves until the JVM shuts down, then stops Jetty cleanly.
   *
   * @param args an optional port number
   * @throws Exception if Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
    String operatorKey = System.getenv(OPERATOR_KEY_ENV);
    boolean generated = operatorKey == null || operatorKey.isBlank();
    if (generated) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      operatorKey = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    Server server = start(port, operatorKey);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "servlet-app-shutdown"));
    System.out.println("Tenantkit servlet app on http://localhost:" + port(server));
    if (generated) {
      System.out.println("Generated operator key (set " + OPERATOR_KEY_ENV + " to choose one):");
      System.out.println("  " + operatorKey);
    }
    server.join();
  }

  /**
   * Builds and starts the app.
   *
   * @param port the port to listen on; 0 picks a free one (see {@link #port(Server)})
   * @param operatorKey the key of the admin API, at least 16 characters
   * @return the started server; the caller stops it
   * @throws IllegalArgumentException if the operator key is too short
   * @throws Exception if Jetty cannot start
   */
  public static Server start(int port, String operatorKey) throws Exception {
    Tenancy tenancy = Tenancy.builder().build();
    // A chain, even of one resolver, also refuses credentials it does not understand.
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(TenantFilter.builder(access).build()),
        "/api/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new CurrentTenantServlet(tenancy)), "/api/tenant");
    context.addServlet(
        new ServletHolder(TenantAdminServlet.builder(tenancy, operatorKey).build()), "/admin/*");

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.setStopTimeout(5_000);
    server.start();
    return server;
  }

  /** The port {@code server} listens on, also when it was started on port 0. */
  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("Jetty did not stop cleanly: " + e);
    }
  }
}
