package dev.tenantkit.examples.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: {@code 200 {"status":"UP"}} when the database answers, else {@code 503
 * {"status":"DOWN"}}. Outside {@code /api/*}, so it needs no tenant credential.
 */
@RestController
class HealthController {
  private final DataSource dataSource;

  HealthController(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @GetMapping("/health")
  ResponseEntity<Map<String, String>> health() {
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(2)) {
        return ResponseEntity.ok(Map.of("status", "UP"));
      }
    } catch (SQLException e) {
      // Reported as DOWN below: a health check answers, it does not fail.
    }
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", "DOWN"));
  }
}
