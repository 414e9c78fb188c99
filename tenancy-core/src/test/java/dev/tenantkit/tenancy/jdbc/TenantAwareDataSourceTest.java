package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

class TenantAwareDataSourceTest {
  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  @Test
  void onH2ConnectionsPassThroughUnchanged() throws SQLException {
    HikariDataSource h2 = (HikariDataSource) databases.create(Dialect.H2);
    TenantAwareDataSource app = TenantAwareDataSource.wrap(h2);
    Integer one =
        TenantContext.call(
            TenantId.of("acme"),
            () -> {
              try (Connection c = app.getConnection();
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("select 1")) {
                assertThat(Proxy.isProxyClass(c.getClass())).isFalse();
                rs.next();
                return rs.getInt(1);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(one).isEqualTo(1);
  }

  @Test
  void wrapsOnceAndUnwrapsToItselfOrTheWrappedDataSource() throws SQLException {
    HikariDataSource h2 = (HikariDataSource) databases.create(Dialect.H2);
    TenantAwareDataSource app = TenantAwareDataSource.wrap(h2);
    assertThat(TenantAwareDataSource.wrap(app)).isSameAs(app);
    assertThat(app.delegate()).isSameAs(h2);
    assertThat(app.unwrap(TenantAwareDataSource.class)).isSameAs(app);
    assertThat(app.unwrap(HikariDataSource.class)).isSameAs(h2);
    assertThat(app.isWrapperFor(HikariDataSource.class)).isTrue();
    assertThat(app.isWrapperFor(DataSource.class)).isTrue();
    app.setLoginTimeout(7);
    assertThat(app.getLoginTimeout()).isEqualTo(h2.getLoginTimeout());
  }

  @Test
  void onPostgresTheProxyUnwrapsAndBehavesAsAConnection() throws SQLException {
    TenantAwareDataSource app = TenantAwareDataSource.wrap(databases.create(Dialect.POSTGRESQL));
    Connection c = app.getConnection();
    Connection other = app.getConnection();
    try {
      assertThat(Proxy.isProxyClass(c.getClass())).isTrue();
      assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
      assertThat(c.unwrap(PGConnection.class)).isNotNull();
      // Identity semantics, as the pool's own connection objects have.
      assertThat(c.equals(other)).isFalse();
      assertThat(c.hashCode()).isEqualTo(System.identityHashCode(c));
      assertThat(c.toString()).startsWith("TenantConnection[");
    } finally {
      other.close();
      c.close();
    }
    assertThat(c.isClosed()).isTrue();
    c.close();
  }
}
