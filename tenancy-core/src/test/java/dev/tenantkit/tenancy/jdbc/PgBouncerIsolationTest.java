package dev.tenantkit.tenancy.jdbc;

import static dev.tenantkit.tenancy.jdbc.Projects.as;
import static dev.tenantkit.tenancy.jdbc.Projects.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Row-level security through a real PgBouncer in transaction pooling mode with two server
 * connections: several clients, each bound to one tenant, share them, and the pooler may run one
 * client's consecutive transactions on different server connections.
 */
class PgBouncerIsolationTest {
  private static final String SELECT = "select name from projects order by tenant_id, id";
  private static final int CLIENTS = 4;
  private static final int ROUNDS = 150;

  private PgBouncerFixture bouncer;
  private TenantAwareDataSource app;

  @BeforeEach
  void setUp() throws SQLException {
    PGSimpleDataSource db = (PGSimpleDataSource) PostgresFixture.newDatabase();
    bouncer = PgBouncerFixture.transactionPool(db, 2);
    PGSimpleDataSource throughBouncer = bouncer.dataSource(db);
    // The library's own migrations and store, through the pooler too.
    JdbcTenancyStore.builder(throughBouncer).build();
    app = TenantAwareDataSource.wrap(throughBouncer);
    Projects.create(throughBouncer, app);
  }

  @AfterEach
  void tearDown() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Test
  void autoCommitClientsOfDifferentTenantsSeeOnlyTheirOwnRows() throws Exception {
    List<String> seen =
        concurrently(
            tenant -> {
              List<String> wrong = new ArrayList<>();
              try (Connection c = app.getConnection();
                  PreparedStatement s = as(tenant, () -> c.prepareStatement(SELECT))) {
                for (int i = 0; i < ROUNDS; i++) {
                  for (String name : as(tenant, () -> names(s.executeQuery()))) {
                    if (!name.startsWith(tenant + "-")) {
                      wrong.add(tenant + " saw " + name);
                    }
                  }
                }
              }
              return wrong;
            });
    assertThat(seen).as(bouncer.log()).isEmpty();
  }

  @Test
  void transactionsOfDifferentTenantsSeeOnlyTheirOwnRows() throws Exception {
    List<String> seen =
        concurrently(
            tenant -> {
              List<String> wrong = new ArrayList<>();
              try (Connection c = app.getConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < ROUNDS; i++) {
                  for (String name : as(tenant, () -> names(c))) {
                    if (!name.startsWith(tenant + "-")) {
                      wrong.add(tenant + " saw " + name);
                    }
                  }
                  c.commit();
                }
              }
              return wrong;
            });
    assertThat(seen).as(bouncer.log()).isEmpty();
  }

  @Test
  void preparedStatementsReusedAcrossTenantsOnOneConnection() throws SQLException {
    try (Connection c = app.getConnection();
        PreparedStatement s1 = as("a", () -> c.prepareStatement(SELECT));
        PreparedStatement s2 = as("b", () -> c.prepareStatement(SELECT))) {
      for (int i = 0; i < 20; i++) {
        assertThat(as("a", () -> names(s1.executeQuery()))).containsExactly("a-one", "a-two");
        assertThat(as("b", () -> names(s2.executeQuery()))).containsExactly("b-one");
        assertThat(as("b", () -> names(s1.executeQuery()))).containsExactly("b-one");
        assertThat(as("a", () -> names(s2.executeQuery()))).containsExactly("a-one", "a-two");
        assertThat(names(s1.executeQuery())).isEmpty();
      }
    }
  }

  /** Work of one client for one tenant; returns what it saw that it should not have. */
  @FunctionalInterface
  private interface Client {
    List<String> run(String tenant) throws Exception;
  }

  /** Runs {@value #CLIENTS} clients at once, alternately for tenants a and b. */
  private static List<String> concurrently(Client client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String tenant = i % 2 == 0 ? "a" : "b";
        Callable<List<String>> work = () -> client.run(tenant);
        results.add(pool.submit(work));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> result : results) {
        all.addAll(result.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
