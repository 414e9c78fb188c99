package dev.tenantkit.adapters.spring.web;

import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A host app for the end-to-end test: a few routes behind the tenant filter. */
@SpringBootApplication
class TestApp {

  @RestController
  static class Routes {
    @GetMapping("/api/whoami")
    Map<String, String> whoami() {
      return Map.of("tenant", TenantContext.requireTenant().value());
    }

    @GetMapping("/api/files/list")
    Map<String, String> files() {
      return Map.of("tenant", TenantContext.requireTenant().value(), "files", "none");
    }

    @GetMapping("/api/items/{id}")
    Map<String, String> item(@PathVariable String id) {
      return Map.of("tenant", TenantContext.requireTenant().value(), "item", id);
    }

    /** What the application sees as the client's address (forwarded headers may set it). */
    @GetMapping("/api/public/remote-addr")
    Map<String, String> remoteAddr(jakarta.servlet.http.HttpServletRequest request) {
      return Map.of("remoteAddr", request.getRemoteAddr());
    }

    @GetMapping("/api/public/ping")
    Map<String, String> ping() {
      return Map.of("bound", String.valueOf(TenantContext.currentTenant().isPresent()));
    }

    @GetMapping("/api/fail")
    Map<String, String> fail(@RequestParam String kind) {
      if (kind.equals("not-found")) {
        throw new TenantNotFoundException(TenantId.of("nobody"));
      }
      throw new InvalidInputException("name", "must not be empty");
    }
  }
}
