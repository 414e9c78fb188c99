package dev.tenantkit.adapters.spring;

import dev.tenantkit.metering.quota.FailureMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * The {@code tenantkit.*} properties. They only feed the Tenantkit builders; what is valid is
 * decided there or in the auto-configuration, which names the offending property when startup
 * fails. Immutable and thread-safe.
 *
 * <p>The {@code @param} texts below are also the descriptions IDEs show (Spring Boot's
 * configuration metadata), so they are plain sentences.
 *
 * @param enabled Whether to configure Tenantkit at all.
 * @param dataDir Directory of the embedded H2 database, used when the application has no DataSource
 *     of its own.
 * @param migrate Whether to apply pending Tenantkit database migrations at startup. Turn off when a
 *     separate deployment step migrates the schema.
 * @param operatorKey Key operators present as "Authorization: Bearer" to the operator API, at least
 *     16 characters. The operator API is off while it is unset or blank.
 * @param admin The operator API.
 * @param filter The tenant filter in front of the application's tenant API.
 * @param resolvers How the tenant of a request is found.
 * @param metering Usage metering.
 * @param quotas Quotas and rate limits.
 * @param metrics Tenantkit's Micrometer metrics.
 */
@ConfigurationProperties("tenantkit")
public record TenantkitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("./data") Path dataDir,
    @DefaultValue("true") boolean migrate,
    String operatorKey,
    @DefaultValue Admin admin,
    @DefaultValue Filter filter,
    @DefaultValue Resolvers resolvers,
    @DefaultValue Metering metering,
    @DefaultValue Quotas quotas,
    @DefaultValue Metrics metrics) {

  /**
   * The operator API, {@code tenantkit.admin.*}.
   *
   * @param enabled Whether to serve the operator API. It also needs tenantkit.operator-key.
   * @param path Path the operator API is mounted under, such as /admin.
   */
  public record Admin(@DefaultValue("true") boolean enabled, @DefaultValue("/admin") String path) {}

  /**
   * The tenant filter, {@code tenantkit.filter.*}.
   *
   * @param enabled Whether to register the tenant filter.
   * @param urlPatterns Servlet URL patterns the tenant filter is mapped to.
   * @param excludePaths Paths within the URL patterns that need no tenant, exact (/api/ping) or
   *     ending in /** (/api/public/**).
   * @param scopes Scope a credential needs, by path pattern (exact or ending in /**). Write each
   *     key in brackets so its slashes are kept:
   *     tenantkit.filter.scopes[/api/files/**]=files:write.
   * @param order Position of the tenant filter in the servlet filter chain; lower runs earlier.
   */
  public record Filter(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("/api/*") List<String> urlPatterns,
      List<String> excludePaths,
      Map<String, String> scopes,
      @DefaultValue("0") int order) {

    /**
     * Replaces absent collections with empty ones and copies the rest, keeping the scope rules in
     * the order they were written, since the first matching rule applies.
     */
    public Filter {
      urlPatterns = List.copyOf(urlPatterns);
      excludePaths = excludePaths == null ? List.of() : List.copyOf(excludePaths);
      scopes = scopes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
    }
  }

  /**
   * How the tenant of a request is found, {@code tenantkit.resolvers.*}.
   *
   * @param order Resolvers to consult, in order: api-key, jwt, subdomain, path-prefix, gateway.
   * @param subdomain The subdomain resolver.
   * @param pathPrefix The path-prefix resolver.
   * @param gateway The gateway resolver.
   * @param jwt The jwt resolver.
   */
  public record Resolvers(
      @DefaultValue("api-key") List<String> order,
      @DefaultValue Subdomain subdomain,
      @DefaultValue PathPrefix pathPrefix,
      @DefaultValue Gateway gateway,
      @DefaultValue Jwt jwt) {

    /** Copies the order. */
    public Resolvers {
      order = List.copyOf(order);
    }
  }

  /**
   * The {@code subdomain} resolver.
   *
   * @param baseDomain Domain whose first-level subdomains name tenants, such as app.example.com
   *     (acme.app.example.com is tenant acme). Required when the resolver is used.
   */
  public record Subdomain(String baseDomain) {}

  /**
   * The {@code path-prefix} resolver.
   *
   * @param prefix Path before the tenant id, starting and ending with a slash, such as /api/t/
   *     (/api/t/acme/files is tenant acme). Required when the resolver is used.
   */
  public record PathPrefix(String prefix) {}

  /**
   * The {@code gateway} resolver, which trusts the {@code X-Tenant-ID} header from known proxies.
   *
   * @param trustedProxies Addresses or CIDR blocks of the gateway whose X-Tenant-ID header is
   *     trusted, checked against the TCP peer of each request: IPv4 dotted quads (10.1.2.3,
   *     10.1.2.0/24) or IPv6 literals, as narrow as the gateway's own addresses. Required when the
   *     resolver is used.
   * @param scopes Scopes granted to a tenant the gateway asserts.
   * @param allowForwardedHeaders Start even though forwarded-header processing
   *     (server.forward-headers-strategy, or its default on Kubernetes and Cloud Foundry) is on and
   *     the TCP peer cannot be read, so the gateway resolver checks an address a forwarding header
   *     may have set. Off by default; on an embedded Tomcat it is not needed.
   */
  public record Gateway(
      List<String> trustedProxies,
      @DefaultValue("*") Set<String> scopes,
      boolean allowForwardedHeaders) {

    /** Replaces an absent list with an empty one and copies the rest. */
    public Gateway {
      trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
      scopes = Set.copyOf(scopes);
    }
  }

  /**
   * The {@code jwt} resolver. Exactly one of {@code hs256-secret}, {@code
   * rs256-public-key-location}, {@code jwk-set-uri} and {@code jwk-set-location} is required when
   * it is used, and so are {@code issuer} and {@code audience} unless {@code require-issuer} or
   * {@code require-audience} is false.
   *
   * @param hs256Secret Shared HS256 secret, at least 32 bytes in UTF-8.
   * @param rs256PublicKeyLocation Location of the issuer's RSA public key in PEM (BEGIN PUBLIC
   *     KEY), such as file:/etc/app/issuer.pem or classpath:issuer.pem.
   * @param jwkSetUri URL of the identity provider's JWK Set (its jwks_uri), fetched when first
   *     needed, cached, and fetched again when a token names an unknown key id.
   * @param jwkSetLocation Location of a JWK Set document, read once at startup, such as
   *     file:/etc/app/jwks.json.
   * @param jwsAlgorithms Algorithms accepted with a JWK Set (RS256, RS384, RS512, PS256, PS384,
   *     PS512, ES256, ES384, ES512, EdDSA).
   * @param jwkSetCacheTtl How long a fetched JWK Set is used before it is fetched again.
   * @param jwkSetRefreshInterval At most two JWK Set fetches start within this interval, so tokens
   *     with made-up key ids cannot flood the identity provider. Less than jwk-set-cache-ttl.
   * @param tenantClaim Claim that holds the tenant id.
   * @param scopeClaim Claim that holds the scopes, a space-separated string or a list.
   * @param defaultScopes Scopes granted when a token has no scope claim.
   * @param issuer Required "iss" of tokens. Must be set unless require-issuer is false.
   * @param audience Required value in "aud" of tokens (this service's name at the identity
   *     provider). Must be set unless require-audience is false.
   * @param requireIssuer Whether issuer must be set; false accepts tokens of any issuer (logged as
   *     a warning at startup).
   * @param requireAudience Whether audience must be set; false accepts tokens for any audience,
   *     including those an identity provider issued for other applications (logged as a warning at
   *     startup).
   * @param clockSkew Tolerance for "exp" and "nbf", at most 5 minutes.
   */
  public record Jwt(
      String hs256Secret,
      Resource rs256PublicKeyLocation,
      URI jwkSetUri,
      Resource jwkSetLocation,
      @DefaultValue("RS256") Set<String> jwsAlgorithms,
      @DefaultValue("5m") Duration jwkSetCacheTtl,
      @DefaultValue("30s") Duration jwkSetRefreshInterval,
      @DefaultValue("tenant_id") String tenantClaim,
      @DefaultValue("scope") String scopeClaim,
      @DefaultValue("*") Set<String> defaultScopes,
      String issuer,
      String audience,
      @DefaultValue("true") boolean requireIssuer,
      @DefaultValue("true") boolean requireAudience,
      @DefaultValue("30s") Duration clockSkew) {

    /** Copies the sets. */
    public Jwt {
      jwsAlgorithms = Set.copyOf(jwsAlgorithms);
      defaultScopes = Set.copyOf(defaultScopes);
    }

    /** Keeps the secret out of logs and failure reports. */
    @Override
    public String toString() {
      return "Jwt[hs256Secret="
          + (hs256Secret == null ? "unset" : "***")
          + ", rs256PublicKeyLocation="
          + rs256PublicKeyLocation
          + ", jwkSetUri="
          + jwkSetUri
          + ", jwkSetLocation="
          + jwkSetLocation
          + ", jwsAlgorithms="
          + jwsAlgorithms
          + ", jwkSetCacheTtl="
          + jwkSetCacheTtl
          + ", jwkSetRefreshInterval="
          + jwkSetRefreshInterval
          + ", tenantClaim="
          + tenantClaim
          + ", scopeClaim="
          + scopeClaim
          + ", defaultScopes="
          + defaultScopes
          + ", issuer="
          + issuer
          + ", audience="
          + audience
          + ", requireIssuer="
          + requireIssuer
          + ", requireAudience="
          + requireAudience
          + ", clockSkew="
          + clockSkew
          + "]";
    }
  }

  /**
   * Usage metering, {@code tenantkit.metering.*}.
   *
   * @param enabled Whether to configure usage metering (the Metering, UsageMeter and UsageQueries
   *     beans).
   * @param filter The usage metering filter.
   * @param ingest Usage ingestion over HTTP (CloudEvents), for services outside the JVM.
   * @param rollup The scheduled rollup job.
   * @param rawRetention How long raw events are kept, at least 1h; unset: 30 days. Events are
   *     deleted by the rollup job, once their hours are rolled up.
   * @param rollupRetention How long hourly and daily rollups are kept, at least the raw retention;
   *     unset: 2 years (730 days).
   * @param idempotencyRetention How long a tenant's idempotency keys are remembered, at least 35
   *     days; unset: 35 days.
   * @param maxLateness How old an event's timestamp may be when it is recorded; unset: 1h.
   * @param futureSkew How far in the future an event's timestamp may be; unset: 5m.
   */
  public record Metering(
      @DefaultValue("true") boolean enabled,
      @DefaultValue MeteringFilter filter,
      @DefaultValue Ingest ingest,
      @DefaultValue Rollup rollup,
      Duration rawRetention,
      Duration rollupRetention,
      Duration idempotencyRetention,
      Duration maxLateness,
      Duration futureSkew) {}

  /**
   * The usage metering filter, {@code tenantkit.metering.filter.*}.
   *
   * @param enabled Whether to register the filter that meters every API call of a tenant.
   * @param order Position of the metering filter in the servlet filter chain; by default right
   *     after the tenant filter (tenantkit.filter.order + 1).
   */
  public record MeteringFilter(@DefaultValue("true") boolean enabled, Integer order) {}

  /**
   * Usage ingestion over HTTP, {@code tenantkit.metering.ingest.*}: services post CloudEvents and
   * each becomes a usage event of the caller's tenant (see docs/metering.md).
   *
   * @param enabled Whether to serve usage ingestion (CloudEvents over HTTP) when metering is on.
   *     Off by default: it adds a write endpoint the application must choose to expose.
   * @param path Where usage ingestion is served; it must be covered by
   *     tenantkit.filter.url-patterns, so that the tenant filter binds the caller's tenant.
   * @param scope The scope a credential needs to post usage events.
   * @param meters The meters that ingested events may name, such as llm_tokens; any meter of the
   *     catalog. Unset: every meter of the catalog except the built-in ones (api_calls,
   *     storage_bytes, errors, ...), which the host's own filters and code record.
   */
  public record Ingest(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("/api/events") String path,
      @DefaultValue("usage:write") String scope,
      List<String> meters) {}

  /**
   * The scheduled rollup job, {@code tenantkit.metering.rollup.*}. It rolls raw events up into
   * hourly and daily aggregates and applies the retention of raw events, rollups and idempotency
   * keys; instances sharing one database take turns through a database lease.
   *
   * @param enabled Whether to run the rollup job on a schedule; false when the host runs it itself
   *     (or an operator calls POST /admin/usage/rollup).
   * @param interval Time between two runs of the usage rollup job; the first run is one interval
   *     after startup.
   */
  public record Rollup(
      @DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration interval) {}

  /**
   * Quotas and rate limits, {@code tenantkit.quotas.*}.
   *
   * @param enabled Whether to configure quotas (the PlanCatalog and QuotaEnforcer beans).
   * @param filter The quota filter.
   * @param catalogLocation Plan catalog in JSON (.json) or YAML (.yaml, .yml), such as
   *     classpath:plans.yaml. Unset: the plans of tenantkit.quotas.plans, else the default plans.
   * @param plans Plans by id, each a map of limits by name (write limit names with hyphens, such as
   *     requests-per-minute, or in brackets), used when no catalog-location is set. Every plan must
   *     name the same limits.
   * @param zone Time zone in which daily and monthly allowances start, such as Europe/Berlin;
   *     replaces the catalog's zone when set.
   * @param failureMode What requests get when the quota store is unreachable: fail-closed (503) or
   *     fail-open (allowed without enforcement).
   */
  public record Quotas(
      @DefaultValue("true") boolean enabled,
      @DefaultValue QuotaFilter filter,
      Resource catalogLocation,
      Map<String, Map<String, PlanLimit>> plans,
      String zone,
      @DefaultValue("fail-closed") FailureMode failureMode) {

    /** Replaces absent plans with none and keeps the order they were written in. */
    public Quotas {
      plans = plans == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(plans));
    }
  }

  /**
   * The quota filter, {@code tenantkit.quotas.filter.*}.
   *
   * @param enabled Whether to register the filter that enforces requests_per_minute and api_calls
   *     on every API call of a tenant.
   * @param order Position of the quota filter in the servlet filter chain; by default right after
   *     the metering filter (tenantkit.filter.order + 2).
   * @param unavailableRetryAfter Retry-After of the 503 answered while the quota store is
   *     unreachable (fail-closed).
   * @param consume What each request consumes, by limit name (write limit names with hyphens, such
   *     as requests-per-minute, or in brackets): allowances and rate limits of the plan catalog,
   *     amounts from 1. Unset: 1 of requests_per_minute and 1 of api_calls.
   */
  public record QuotaFilter(
      @DefaultValue("true") boolean enabled,
      Integer order,
      @DefaultValue("5s") Duration unavailableRetryAfter,
      Map<String, String> consume) {

    /** Replaces an absent map with an empty one and keeps the order it was written in. */
    public QuotaFilter {
      consume =
          consume == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(consume));
    }
  }

  /**
   * One limit of a plan, {@code tenantkit.quotas.plans.<plan>.<limit>.*}.
   *
   * @param kind allowance, rate or gauge.
   * @param limit The amount: per period for an allowance, the bucket capacity of a rate, the most
   *     in use for a gauge; or unlimited.
   * @param period day or month for an allowance; the refill period of a rate, such as 1m.
   * @param refill Tokens a rate limit gains per period; by default its limit.
   * @param soft Whether going over the limit is only reported, not refused.
   */
  public record PlanLimit(String kind, String limit, String period, String refill, Boolean soft) {}

  /**
   * Tenantkit's Micrometer metrics, {@code tenantkit.metrics.*}.
   *
   * @param tenantTags How many tenants get their own "tenant" tag on the usage and quota metrics:
   *     the first ones seen since startup, at most 10000; later tenants are counted under
   *     "(other)". 0 (the default): no tenant tag.
   */
  public record Metrics(@DefaultValue("0") int tenantTags) {}

  /** Keeps the operator key out of logs and failure reports. */
  @Override
  public String toString() {
    return "TenantkitProperties[enabled="
        + enabled
        + ", dataDir="
        + dataDir
        + ", migrate="
        + migrate
        + ", operatorKey="
        + (operatorKey == null ? "unset" : "***")
        + ", admin="
        + admin
        + ", filter="
        + filter
        + ", resolvers="
        + resolvers
        + ", metering="
        + metering
        + ", quotas="
        + quotas
        + ", metrics="
        + metrics
        + "]";
  }
}
