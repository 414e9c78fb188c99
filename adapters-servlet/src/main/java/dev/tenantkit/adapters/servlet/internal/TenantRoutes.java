package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.adapters.servlet.AdminRequest;
import dev.tenantkit.adapters.servlet.AdminResponse;
import dev.tenantkit.adapters.servlet.AdminRoute;
import dev.tenantkit.adapters.servlet.AdminRoutes;
import dev.tenantkit.adapters.servlet.TenantView;
import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.InvalidTenantIdException;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.TenantUpdate;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in routes of {@link dev.tenantkit.adapters.servlet.TenantAdminServlet}: tenants and
 * their API keys. Input is checked in full before anything is written. Thread-safe.
 */
public final class TenantRoutes implements AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(TenantRoutes.class);
  private static final Set<String> JSON = Set.of("application/json");
  private static final Set<String> JSON_OR_MERGE_PATCH =
      Set.of("application/json", "application/merge-patch+json");
  private static final Set<String> TENANT_FIELDS = Set.of("id", "name", "plan", "settings");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "plan", "settings");
  private static final Set<String> SETTINGS_FIELDS =
      Set.of("maxFileSizeBytes", "allowedFileTypes", "webhookUrl", "webhookEvents", "branding");
  private static final Set<String> KEY_FIELDS = Set.of("name", "scopes", "expiresAt");

  private final Tenancy tenancy;

  /**
   * Routes over {@code tenancy}.
   *
   * @param tenancy the tenants and keys to administer
   */
  public TenantRoutes(Tenancy tenancy) {
    this.tenancy = Objects.requireNonNull(tenancy, "tenancy");
  }

  @Override
  public List<AdminRoute> routes() {
    return List.of(
        AdminRoute.get("/tenants", r -> listTenants(r.servletRequest())),
        AdminRoute.post("/tenants", r -> createTenant(r.servletRequest())),
        AdminRoute.get(
            "/tenants/{id}", r -> AdminResponse.ok(TenantView.from(tenancy.tenants().get(id(r))))),
        AdminRoute.patch("/tenants/{id}", r -> patchTenant(id(r), r.servletRequest())),
        AdminRoute.delete(
            "/tenants/{id}",
            r -> AdminResponse.ok(logged("deleted", tenancy.tenants().delete(id(r))))),
        AdminRoute.post(
            "/tenants/{id}/suspend",
            r -> AdminResponse.ok(logged("suspended", tenancy.tenants().suspend(id(r))))),
        AdminRoute.post(
            "/tenants/{id}/reactivate",
            r -> AdminResponse.ok(logged("reactivated", tenancy.tenants().reactivate(id(r))))),
        AdminRoute.post("/tenants/{id}/purge", this::purge),
        AdminRoute.get("/tenants/{id}/api-keys", this::listKeys),
        AdminRoute.post("/tenants/{id}/api-keys", r -> issueKey(id(r), r.servletRequest())),
        AdminRoute.delete(
            "/tenants/{id}/api-keys/{keyId}", r -> revokeKey(id(r), r.pathVariable("keyId"))));
  }

  private AdminResponse purge(AdminRequest request) {
    TenantId id = id(request);
    tenancy.tenants().purge(id);
    LOG.info("operator purged tenant {}", id);
    return AdminResponse.noContent();
  }

  private AdminResponse listKeys(AdminRequest request) {
    TenantId tenant = tenancy.tenants().get(id(request)).id();
    List<ApiKeyView> items = tenancy.apiKeys().list(tenant).stream().map(ApiKeyView::from).toList();
    return AdminResponse.ok(Map.of("items", items));
  }

  private static TenantId id(AdminRequest request) {
    return request.tenantId("id");
  }

  private AdminResponse listTenants(HttpServletRequest request) {
    TenantStatus status = null;
    String statusParam = request.getParameter("status");
    if (statusParam != null && !statusParam.isEmpty()) {
      status =
          switch (statusParam.toLowerCase(Locale.ROOT)) {
            case "active" -> TenantStatus.ACTIVE;
            case "suspended" -> TenantStatus.SUSPENDED;
            case "deleted" -> TenantStatus.DELETED;
            default ->
                throw new InvalidInputException(
                    "status", "must be one of active, suspended, deleted");
          };
    }
    int limit = PageLimit.parse(request.getParameter("limit"));
    Page<Tenant> page = tenancy.tenants().list(status, request.getParameter("cursor"), limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items().stream().map(TenantView::from).toList());
    body.put("nextCursor", page.nextCursor());
    return AdminResponse.ok(body);
  }

  private AdminResponse createTenant(HttpServletRequest request) throws IOException {
    JsonFields body = requiredBody(request, JSON, TENANT_FIELDS);
    TenantId id;
    try {
      id = TenantId.of(body.requiredText("id"));
    } catch (InvalidTenantIdException e) {
      throw new InvalidInputException("id", e.getMessage());
    }
    String name = body.requiredText("name");
    String plan = body.requiredText("plan");
    TenantSettings settings =
        body.has("settings")
            ? settings(body.object("settings", SETTINGS_FIELDS), TenantSettings.defaults())
            : null;
    Tenant created = tenancy.tenants().create(new NewTenant(id, name, plan, settings));
    LOG.info("operator created tenant {}", id);
    String location =
        request.getContextPath() + request.getServletPath() + "/tenants/" + id.value();
    return AdminResponse.created(TenantView.from(created), location);
  }

  /** Applies a merge patch of name, plan and settings in one change: all of it or nothing. */
  private AdminResponse patchTenant(TenantId id, HttpServletRequest request) throws IOException {
    JsonFields body = requiredBody(request, JSON_OR_MERGE_PATCH, PATCH_FIELDS);
    String name = body.has("name") ? body.requiredText("name") : null;
    String plan = body.has("plan") ? body.requiredText("plan") : null;
    TenantSettings settings =
        body.has("settings")
            ? settings(
                body.object("settings", SETTINGS_FIELDS), tenancy.tenants().get(id).settings())
            : null;
    TenantUpdate update = new TenantUpdate(name, plan, settings);
    Tenant result = tenancy.tenants().update(id, update);
    if (!update.isEmpty()) {
      LOG.info("operator updated tenant {}", id);
    }
    return AdminResponse.ok(TenantView.from(result));
  }

  private AdminResponse issueKey(TenantId id, HttpServletRequest request) throws IOException {
    byte[] raw = RequestBody.read(request, JSON);
    ApiKeyRequest keyRequest;
    if (raw.length == 0) {
      keyRequest = new ApiKeyRequest(null, null, null);
    } else {
      JsonFields body = JsonFields.parse(raw, KEY_FIELDS);
      List<String> scopes = body.texts("scopes");
      if (scopes != null && scopes.isEmpty()) {
        // The core reads an empty set as full access; over HTTP that is too easy to send by
        // mistake, so full access is asked for by leaving the member out.
        throw new InvalidInputException(
            "scopes", "must not be empty; leave it out for a full-access key");
      }
      keyRequest =
          new ApiKeyRequest(
              body.text("name"),
              scopes == null ? null : new LinkedHashSet<>(scopes),
              instant(body.text("expiresAt")));
    }
    IssuedApiKey issued = tenancy.apiKeys().issue(id, keyRequest);
    LOG.info("operator issued API key {} of tenant {}", issued.key().id(), id);
    return new AdminResponse(201, IssuedKeyView.from(issued), Map.of());
  }

  private AdminResponse revokeKey(TenantId id, String keyId) {
    tenancy.tenants().get(id);
    ApiKey revoked = tenancy.apiKeys().revoke(id, keyId);
    LOG.info("operator revoked API key {} of tenant {}", keyId, id);
    return AdminResponse.ok(ApiKeyView.from(revoked));
  }

  private static JsonFields requiredBody(
      HttpServletRequest request, Set<String> mediaTypes, Set<String> allowed) throws IOException {
    byte[] raw = RequestBody.read(request, mediaTypes);
    if (raw.length == 0) {
      throw new InvalidInputException("body", "is required");
    }
    return JsonFields.parse(raw, allowed);
  }

  /** Merges the present members of {@code json} into {@code base}; {@code null} clears one. */
  private static TenantSettings settings(JsonFields json, TenantSettings base) {
    TenantSettings.Builder b = base.toBuilder();
    if (json.has("maxFileSizeBytes")) {
      b.maxFileSizeBytes(json.integer("maxFileSizeBytes"));
    }
    if (json.has("allowedFileTypes")) {
      b.allowedFileTypes(json.texts("allowedFileTypes"));
    }
    if (json.has("webhookUrl")) {
      b.webhookUrl(uri(json, "webhookUrl"));
    }
    if (json.has("webhookEvents")) {
      b.webhookEvents(json.texts("webhookEvents"));
    }
    if (json.has("branding")) {
      b.brandingJson(json.objectJson("branding"));
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(json.field(e.field()), e.getMessage());
    }
  }

  private static URI uri(JsonFields json, String name) {
    String text = json.text(name);
    if (text == null) {
      return null;
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidInputException(json.field(name), "must be an absolute http(s) URL");
    }
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "expiresAt", "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }

  private static TenantView logged(String what, Tenant tenant) {
    LOG.info("operator {} tenant {}", what, tenant.id());
    return TenantView.from(tenant);
  }
}
