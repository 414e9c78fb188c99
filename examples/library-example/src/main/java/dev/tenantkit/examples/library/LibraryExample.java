package dev.tenantkit.examples.library;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jdbc.JdbcTenancyStore;
import dev.tenantkit.tenancy.spi.RequestView;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tenantkit as a plain library, no web framework: the README's quick start as a program. The lines
 * between {@code quick-start:begin} and {@code quick-start:end} are the README's snippet, character
 * for character (a test compares them), and the test runs the program in every build, so the quick
 * start cannot rot.
 */
public final class LibraryExample {
  private LibraryExample() {}

  /** Runs the quick start and prints what it did: {@code working for acme}. */
  public static void main(String[] args) {
    System.out.println(run());
  }

  /**
   * The quick start: create a tenant, issue a key, resolve a request carrying it, and work for the
   * tenant.
   *
   * @return a one-line summary, checked by a test
   */
  public static String run() {
    // quick-start:begin
    // An embedded H2 database here; in production, your PostgreSQL connection pool.
    try (HikariDataSource db = EmbeddedDatabase.h2InMemory("quickstart")) {
      Tenancy tenancy = Tenancy.builder().store(JdbcTenancyStore.builder(db).build()).build();

      TenantId acme = TenantId.of("acme");
      tenancy.tenants().create(NewTenant.of(acme, "Acme Corp", "free"));
      IssuedApiKey key = tenancy.apiKeys().issue(acme, ApiKeyRequest.fullAccess("ci"));

      TenantAccess access =
          TenantAccess.of(
              TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
      RequestView request = request("Bearer " + key.secret()); // your web framework's request
      if (access.check(request) instanceof TenantAccess.Decision.Granted granted) {
        return TenantContext.call(granted.binding(), () -> work()); // work() runs for acme
      }
    }
    // quick-start:end
    return "refused";
  }

  /** The application's work, for the tenant the quick start bound. */
  private static String work() {
    return "working for " + TenantContext.requireTenant();
  }

  /** A request as a web framework would present it, with one Authorization header. */
  private static RequestView request(String authorization) {
    Map<String, String> headers = Map.of("authorization", authorization);
    return new RequestView() {
      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
      }

      @Override
      public String host() {
        return "localhost";
      }

      @Override
      public String path() {
        return "/api/tenant";
      }

      @Override
      public String remoteAddress() {
        return "127.0.0.1";
      }
    };
  }
}
