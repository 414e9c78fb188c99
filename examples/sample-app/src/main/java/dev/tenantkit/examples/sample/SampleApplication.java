package dev.tenantkit.examples.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample host app: a small multi-tenant service for project files and cost estimates, built on
 * Spring Boot and Tenantkit. Tenantkit's auto-configuration provides the tenant filter in front of
 * {@code /api/*}, the operator API under {@code /admin} and the embedded database under {@code
 * TENANTKIT_DATA_DIR}; each feature of the app lives in its own package ({@code tenancy} now;
 * files, usage and billing later) and reads its tenant from {@link
 * dev.tenantkit.tenancy.TenantContext}.
 */
@SpringBootApplication
public class SampleApplication {

  /** Created by Spring. */
  public SampleApplication() {}

  /**
   * Starts the app; {@code --server.port=N} chooses the port (default 8080).
   *
   * @param args Spring Boot command line arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
