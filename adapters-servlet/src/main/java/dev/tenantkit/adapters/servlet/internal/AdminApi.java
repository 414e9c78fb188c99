package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.adapters.servlet.Problems;
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
import dev.tenantkit.tenancy.TenantkitException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of {@link dev.tenantkit.adapters.servlet.TenantAdminServlet}, relative to the servlet
 * path. Every answer is JSON or a problem; input is checked in full before anything is written.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final int DEFAULT_LIMIT = 50;
  private static final Pattern PLAN_ID = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Set<String> JSON = Set.of("application/json");
  private static final Set<String> JSON_OR_MERGE_PATCH =
      Set.of("application/json", "application/merge-patch+json");
  private static final Set<String> TENANT_FIELDS = Set.of("id", "name", "plan", "settings");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "plan", "settings");
  private static final Set<String> SETTINGS_FIELDS =
      Set.of("maxFileSizeBytes", "allowedFileTypes", "webhookUrl", "webhookEvents", "branding");
  private static final Set<String> KEY_FIELDS = Set.of("name", "scopes", "expiresAt");

  private final Tenancy tenancy;
  private final OperatorKey operatorKey;

  /**
   * Serves the API over {@code tenancy}; thread-safe.
   *
   * @param tenancy the tenants and keys to administer
   * @param operatorKey the key every request must present
   */
  public AdminApi(Tenancy tenancy, OperatorKey operatorKey) {
    this.tenancy = Objects.requireNonNull(tenancy, "tenancy");
    this.operatorKey = Objects.requireNonNull(operatorKey, "operatorKey");
  }

  /**
   * Answers one request. The reply is serialised before anything is sent, so a failure never leaves
   * a half-written answer.
   *
   * @throws IOException if the request cannot be read or the answer cannot be written
   */
  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Reply reply;
    try {
      operatorKey.check(request);
      reply = route(request);
    } catch (HttpProblem p) {
      p.headers().forEach(response::setHeader);
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(request, response, p.status(), p.code(), p.getMessage(), Map.of());
      return;
    } catch (TenantkitException e) {
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(request, response, e);
      return;
    }
    byte[] bytes = reply.body() == null ? null : JsonFields.MAPPER.writeValueAsBytes(reply.body());
    response.setStatus(reply.status());
    response.setHeader("Cache-Control", "no-store");
    if (reply.location() != null) {
      response.setHeader("Location", reply.location());
    }
    if (bytes != null) {
      response.setContentType("application/json");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  private Reply route(HttpServletRequest request) throws IOException {
    String method = request.getMethod();
    String pathInfo = request.getPathInfo();
    List<String> s =
        pathInfo == null || pathInfo.length() < 2
            ? List.of()
            : Arrays.asList(pathInfo.substring(1).split("/", -1));
    // An empty segment ("/tenants/", "/tenants//suspend") names no resource.
    if (s.isEmpty() || !s.get(0).equals("tenants") || s.contains("")) {
      throw notFound();
    }
    switch (s.size()) {
      case 1:
        if (method.equals("GET")) {
          return listTenants(request);
        }
        if (method.equals("POST")) {
          return createTenant(request);
        }
        throw notAllowed("GET, POST");
      case 2:
        switch (method) {
          case "GET":
            return Reply.ok(TenantView.from(tenancy.tenants().get(id(s))));
          case "PATCH":
            return patchTenant(id(s), request);
          case "DELETE":
            return Reply.ok(logged("deleted", tenancy.tenants().delete(id(s))));
          default:
            throw notAllowed("GET, PATCH, DELETE");
        }
      case 3:
        return tenantAction(s, method, request);
      case 4:
        if (!s.get(2).equals("api-keys")) {
          throw notFound();
        }
        if (!method.equals("DELETE")) {
          throw notAllowed("DELETE");
        }
        return revokeKey(id(s), s.get(3));
      default:
        throw notFound();
    }
  }

  private Reply tenantAction(List<String> s, String method, HttpServletRequest request)
      throws IOException {
    String action = s.get(2);
    switch (action) {
      case "suspend":
      case "reactivate":
      case "purge":
        if (!method.equals("POST")) {
          throw notAllowed("POST");
        }
        TenantId id = id(s);
        if (action.equals("suspend")) {
          return Reply.ok(logged("suspended", tenancy.tenants().suspend(id)));
        }
        if (action.equals("reactivate")) {
          return Reply.ok(logged("reactivated", tenancy.tenants().reactivate(id)));
        }
        tenancy.tenants().purge(id);
        LOG.info("operator purged tenant {}", id);
        return new Reply(204, null, null);
      case "api-keys":
        if (method.equals("GET")) {
          TenantId tenant = tenancy.tenants().get(id(s)).id();
          List<ApiKeyView> items =
              tenancy.apiKeys().list(tenant).stream().map(ApiKeyView::from).toList();
          return Reply.ok(Map.of("items", items));
        }
        if (method.equals("POST")) {
          return issueKey(id(s), request);
        }
        throw notAllowed("GET, POST");
      default:
        throw notFound();
    }
  }

  private Reply listTenants(HttpServletRequest request) {
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
    int limit = DEFAULT_LIMIT;
    String limitParam = request.getParameter("limit");
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("limit", "must be an integer between 1 and 1000");
      }
    }
    Page<Tenant> page = tenancy.tenants().list(status, request.getParameter("cursor"), limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items().stream().map(TenantView::from).toList());
    body.put("nextCursor", page.nextCursor());
    return Reply.ok(body);
  }

  private Reply createTenant(HttpServletRequest request) throws IOException {
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
    return new Reply(201, TenantView.from(created), location);
  }

  /**
   * Applies a merge patch of name, plan and settings. Everything is validated before the first
   * write, so a bad member changes nothing; the writes themselves can then fail only on a name
   * conflict (checked first) or a concurrent lifecycle change.
   */
  private Reply patchTenant(TenantId id, HttpServletRequest request) throws IOException {
    JsonFields body = requiredBody(request, JSON_OR_MERGE_PATCH, PATCH_FIELDS);
    String name = body.has("name") ? validName(body.requiredText("name")) : null;
    String plan = body.has("plan") ? validPlan(body.requiredText("plan")) : null;
    Tenant current = tenancy.tenants().get(id);
    TenantSettings settings =
        body.has("settings")
            ? settings(body.object("settings", SETTINGS_FIELDS), current.settings())
            : null;
    Tenant result = current;
    if (name != null) {
      result = tenancy.tenants().rename(id, name);
    }
    if (plan != null) {
      result = tenancy.tenants().changePlan(id, plan);
    }
    if (settings != null) {
      result = tenancy.tenants().updateSettings(id, settings);
    }
    if (name != null || plan != null || settings != null) {
      LOG.info("operator updated tenant {}", id);
    }
    return Reply.ok(TenantView.from(result));
  }

  private Reply issueKey(TenantId id, HttpServletRequest request) throws IOException {
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
    return new Reply(201, IssuedKeyView.from(issued), null);
  }

  private Reply revokeKey(TenantId id, String keyId) {
    tenancy.tenants().get(id);
    ApiKey revoked = tenancy.apiKeys().revoke(id, keyId);
    LOG.info("operator revoked API key {} of tenant {}", keyId, id);
    return Reply.ok(ApiKeyView.from(revoked));
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

  /** The rules of {@link dev.tenantkit.tenancy.TenantService#rename}, checked before writing. */
  private static String validName(String name) {
    String n = name.strip();
    if (n.isEmpty()) {
      throw new InvalidInputException("name", "is required");
    }
    if (n.length() > 200) {
      throw new InvalidInputException("name", "must be at most 200 characters");
    }
    if (n.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("name", "must not contain control characters");
    }
    return n;
  }

  /** The rule of {@link NewTenant#planId()}, checked before writing. */
  private static String validPlan(String plan) {
    if (!PLAN_ID.matcher(plan).matches()) {
      throw new InvalidInputException("plan", "must be 1 to 64 characters of a-z, 0-9, '-', '_'");
    }
    return plan;
  }

  private static TenantId id(List<String> segments) {
    return TenantId.of(segments.get(1));
  }

  private static TenantView logged(String what, Tenant tenant) {
    LOG.info("operator {} tenant {}", what, tenant.id());
    return TenantView.from(tenant);
  }

  private static HttpProblem notFound() {
    return new HttpProblem(404, "route-not-found", "the admin API has no such route");
  }

  private static HttpProblem notAllowed(String allow) {
    return new HttpProblem(
        405, "method-not-allowed", "this route accepts only " + allow, Map.of("Allow", allow));
  }

  private record Reply(int status, Object body, String location) {
    static Reply ok(Object body) {
      return new Reply(200, body, null);
    }
  }
}
