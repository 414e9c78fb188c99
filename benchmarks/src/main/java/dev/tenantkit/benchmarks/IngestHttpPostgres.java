package dev.tenantkit.benchmarks;

import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.adapters.servlet.UsageIngestServlet;
import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.benchmarks.internal.UsageRows;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Usage ingestion over real HTTP into PostgreSQL: four client threads, each for its own tenant,
 * post batches of CloudEvents ({@code application/cloudevents-batch+json}) with {@code
 * java.net.http} to an embedded Jetty that serves {@link UsageIngestServlet} behind the {@link
 * TenantFilter} (API key verification included), recording into a durable meter on {@link
 * JdbcUsageStore}. Each answer is checked: 200 with every event accepted. The score is batches per
 * second; events per second are the score times {@code batchSize}. (A JMH auxiliary counter of
 * events, tried in the first run, read up to 37% above that product for batches of 1,000, which
 * take about 400 ms each, so it was dropped.) Client, server and PostgreSQL share the machine.
 *
 * <p>The peer is Lago's stated 10,000 events per second for its PostgreSQL-only setup, a number of
 * its documentation, not a run here (docs/performance.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class IngestHttpPostgres {
  private static final int THREADS = 4;

  /** The database, metering, and the HTTP server. */
  @State(Scope.Benchmark)
  public static class Server {
    /** Events per request. */
    @Param({"100", "1000"})
    public int batchSize;

    /** PostgreSQL {@code synchronous_commit}. */
    @Param({"on", "off"})
    public String synchronousCommit;

    private final AtomicInteger callers = new AtomicInteger();
    private final List<String> keys = new ArrayList<>();
    private BenchDatabase db;
    private Metering metering;
    private org.eclipse.jetty.server.Server jetty;
    private URI uri;

    /** Starts the database, the tenants and their keys, and Jetty. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      db = BenchDatabase.create(THREADS, synchronousCommit);
      metering = Metering.builder().store(JdbcUsageStore.builder(db.app()).build()).build();
      Tenancy tenancy = Tenancy.builder().build();
      for (int i = 0; i < THREADS; i++) {
        TenantId id = TenantId.of("tenant-" + i);
        tenancy.tenants().create(NewTenant.of(id, "Tenant " + i, "free"));
        keys.add(tenancy.apiKeys().issue(id, ApiKeyRequest.fullAccess("bench")).secret());
      }
      TenantFilter filter =
          TenantFilter.builder(
                  TenantAccess.of(
                      TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())),
                      tenancy.tenants()))
              .build();
      jetty = new org.eclipse.jetty.server.Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addFilter(new FilterHolder(filter), "/api/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(
          new ServletHolder(
              // The benchmark's meter is the built-in "tokens", which is not ingestible unless
              // listed.
              UsageIngestServlet.builder(metering)
                  .ingestibleMeters(Set.of(UsageRows.METER))
                  .build()),
          "/api/events");
      jetty.setHandler(context);
      jetty.start();
      uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/events");
    }

    /** Empties the tables written to. */
    @Setup(Level.Iteration)
    public void truncate() {
      UsageRows.truncate(db.admin());
    }

    /** Stops Jetty, closes metering and drops the database. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      jetty.stop();
      metering.close();
      db.close();
    }
  }

  /** One client thread: its tenant's key and its event counter. */
  @State(Scope.Thread)
  public static class Client {
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String bearer;
    private String prefix;
    private long next;

    /** Picks this thread's tenant. */
    @Setup(Level.Trial)
    public void setUp(Server server) {
      int n = server.callers.getAndIncrement();
      bearer = "Bearer " + server.keys.get(n % THREADS);
      prefix = "t" + n + "-";
    }
  }

  /** Posts one batch and checks that every event was accepted. */
  @Benchmark
  public int tenantkitPostBatch(Server server, Client client)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder(server.batchSize * 140).append('[');
    for (int i = 0; i < server.batchSize; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"specversion\":\"1.0\",\"id\":\"")
          .append(client.prefix)
          .append(client.next++)
          .append("\",\"source\":\"//bench\",\"type\":\"")
          .append(UsageRows.METER)
          .append("\",\"data\":{\"quantity\":812,\"dimensions\":{\"model\":\"small\"}}}");
    }
    body.append(']');
    HttpRequest request =
        HttpRequest.newBuilder(server.uri)
            .header("Authorization", client.bearer)
            .header("Content-Type", "application/cloudevents-batch+json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = client.http.send(request, HttpResponse.BodyHandlers.ofString());
    String expected = "{\"accepted\":" + server.batchSize + ",";
    if (response.statusCode() != 200 || !response.body().startsWith(expected)) {
      throw new IllegalStateException(
          "the batch was not accepted whole: "
              + response.statusCode()
              + " "
              + response.body().substring(0, Math.min(300, response.body().length())));
    }
    return response.statusCode();
  }
}
