package dev.tenantkit.examples.sample.setup;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * On first start, creates the demo tenants {@code acme} and {@code globex} with a full-access API
 * key each, prints the keys and ready-to-paste curl lines, and keeps a copy in {@code
 * <data-dir>/demo-keys.txt} (readable by the owner only). On later starts it only says the tenants
 * exist: keys are shown once and cannot be read back from the database. With billing on, a demo
 * tenant without a subscription (its data directory is older than billing) is subscribed to its
 * plan then, as new tenants are when they are created.
 */
@Component
class DemoTenants implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DemoTenants.class);
  static final String KEYS_FILE = "demo-keys.txt";

  private static final List<Demo> DEMOS =
      List.of(
          new Demo(TenantId.of("acme"), "Acme Corp", "free"),
          new Demo(TenantId.of("globex"), "Globex Inc", "starter"));

  private final Tenancy tenancy;
  private final ObjectProvider<Billing> billing;
  private final Environment environment;
  private final Path dataDir;
  private final PrintStream out = System.out;

  DemoTenants(
      Tenancy tenancy,
      TenantkitProperties properties,
      Environment environment,
      ObjectProvider<Billing> billing) {
    this.tenancy = tenancy;
    this.billing = billing;
    this.environment = environment;
    this.dataDir = properties.dataDir().toAbsolutePath().normalize();
  }

  @Override
  public void run(ApplicationArguments args) {
    String baseUrl =
        "http://localhost:"
            + environment.getProperty("local.server.port", "8080")
            + environment.getProperty("server.servlet.context-path", "");
    if (seeded()) {
      billing.ifAvailable(this::subscribeUnsubscribed);
      printLaterStart(baseUrl);
      return;
    }
    StringBuilder keys = new StringBuilder();
    try {
      for (Demo demo : DEMOS) {
        tenancy.tenants().create(NewTenant.of(demo.id(), demo.name(), demo.plan()));
      }
    } catch (ConflictException e) {
      // Another instance on the same database seeded them first; its output has the keys.
      printLaterStart(baseUrl);
      return;
    }
    keys.append("# Demo API keys of the Tenantkit sample app, shown once on first start.\n");
    for (Demo demo : DEMOS) {
      String secret =
          tenancy.apiKeys().issue(demo.id(), ApiKeyRequest.fullAccess("demo key")).secret();
      keys.append(
          String.format(
              "%n%s (%s, plan %s)%n  key:  %s%n  curl -H 'Authorization: Bearer %s' %s/api/tenant%n",
              demo.id(), demo.name(), demo.plan(), secret, secret, baseUrl));
    }
    Path keysFile = dataDir.resolve(KEYS_FILE);
    OwnerOnlyFiles.write(keysFile, keys.toString());

    out.println();
    out.println("Tenantkit sample app: first start, data in " + dataDir);
    out.println(operatorKeyLines(baseUrl));
    out.println("Demo tenants created, each with a full-access API key:");
    out.print(keys.substring(keys.indexOf("\n") + 1));
    out.println();
    out.println("These keys are shown only now; a copy is in " + keysFile + " (owner-only).");
    out.println(metricsLine());
    out.println();
  }

  private void subscribeUnsubscribed(Billing b) {
    for (Demo demo : DEMOS) {
      tenancy
          .tenants()
          .find(demo.id())
          .filter(t -> b.subscription(t.id()).isEmpty())
          .ifPresent(
              t -> {
                try {
                  b.subscribe(t.id(), t.planId());
                } catch (ConflictException | NotFoundException e) {
                  // Subscribed meanwhile by another instance, or a plan without prices.
                  LOG.debug("demo tenant {} not subscribed: {}", t.id(), e.getMessage());
                }
              });
    }
  }

  private boolean seeded() {
    return DEMOS.stream().anyMatch(d -> tenancy.tenants().find(d.id()).isPresent());
  }

  private void printLaterStart(String baseUrl) {
    out.println();
    out.println("Tenantkit sample app: data in " + dataDir);
    out.println(operatorKeyLines(baseUrl));
    out.println(
        "The demo tenants acme and globex exist already. Their API keys were shown on first"
            + " start and are kept in "
            + dataDir.resolve(KEYS_FILE)
            + ".");
    out.println(metricsLine());
    out.println();
  }

  /** Where the operator metrics are, when the management port is on. */
  private String metricsLine() {
    String port = environment.getProperty("local.management.port");
    if (port == null) {
      return "Metrics: off (no management port).";
    }
    return "Metrics (this machine only): curl http://127.0.0.1:" + port + "/actuator/metrics";
  }

  private String operatorKeyLines(String baseUrl) {
    String key = environment.getProperty("tenantkit.operator-key");
    if (key == null || key.isBlank()) {
      return "Operator API: off (set TENANTKIT_OPERATOR_KEY to turn it on).";
    }
    String file = environment.getProperty(OperatorKeyEnvironment.FILE);
    String shown;
    String header;
    if (file == null) {
      header = "Operator key: as configured (TENANTKIT_OPERATOR_KEY).";
      shown = "$TENANTKIT_OPERATOR_KEY";
    } else if (environment.getProperty(OperatorKeyEnvironment.GENERATED, Boolean.class, false)) {
      header = "Operator key: " + key + "  (generated; kept in " + file + ", owner-only)";
      shown = key;
    } else {
      header = "Operator key: kept in " + file + " (owner-only).";
      shown = "$(cat " + file + ")";
    }
    return header
        + String.format(
            "%n  curl -H \"Authorization: Bearer %s\" %s/admin/tenants%n", shown, baseUrl);
  }

  private record Demo(TenantId id, String name, String plan) {}
}
