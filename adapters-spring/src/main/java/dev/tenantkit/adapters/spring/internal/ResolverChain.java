package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.tenancy.ApiKeyService;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the resolver chain named by {@code tenantkit.resolvers.order} from the built-in resolvers,
 * reporting a bad setting as an {@link InvalidPropertyException} that names the property.
 * Stateless.
 */
public final class ResolverChain {
  /** The resolver names {@code tenantkit.resolvers.order} accepts. */
  public static final List<String> NAMES =
      List.of("api-key", "jwt", "subdomain", "path-prefix", "gateway");

  private static final String ORDER = "tenantkit.resolvers.order";

  private ResolverChain() {}

  /**
   * Builds the chain.
   *
   * @param config the {@code tenantkit.resolvers} properties
   * @param apiKeys verifies API keys for the {@code api-key} resolver
   * @param clock the time source of the {@code jwt} resolver
   * @return the resolvers in the configured order, composed with {@link TenantResolvers#chain}
   * @throws InvalidPropertyException naming the first property that is missing or wrong
   */
  public static TenantResolver build(
      TenantkitProperties.Resolvers config, ApiKeyService apiKeys, InstantSource clock) {
    if (config.order().isEmpty()) {
      throw new InvalidPropertyException(ORDER, "must name at least one resolver of " + NAMES);
    }
    Set<String> seen = new HashSet<>();
    List<TenantResolver> chain = new ArrayList<>();
    for (String raw : config.order()) {
      String name = normalise(raw);
      if (!NAMES.contains(name)) {
        throw new InvalidPropertyException(
            ORDER, "names the unknown resolver '" + raw + "'; the known ones are " + NAMES);
      }
      if (!seen.add(name)) {
        throw new InvalidPropertyException(ORDER, "names the resolver '" + name + "' twice");
      }
      chain.add(resolver(name, config, apiKeys, clock));
    }
    return TenantResolvers.chain(chain.toArray(TenantResolver[]::new));
  }

  /** Whether {@code tenantkit.resolvers.order} names the resolver {@code name}. */
  static boolean uses(TenantkitProperties.Resolvers config, String name) {
    return config.order().stream().anyMatch(raw -> normalise(raw).equals(name));
  }

  /** A resolver name as written in the order, trimmed and lower-cased; "" for none. */
  private static String normalise(String raw) {
    return raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
  }

  private static TenantResolver resolver(
      String name,
      TenantkitProperties.Resolvers config,
      ApiKeyService apiKeys,
      InstantSource clock) {
    return switch (name) {
      case "api-key" -> TenantResolvers.apiKey(apiKeys);
      case "subdomain" -> {
        String property = "tenantkit.resolvers.subdomain.base-domain";
        String baseDomain = required(property, config.subdomain().baseDomain());
        yield InvalidPropertyException.check(property, () -> TenantResolvers.subdomain(baseDomain));
      }
      case "path-prefix" -> {
        String property = "tenantkit.resolvers.path-prefix.prefix";
        String prefix = required(property, config.pathPrefix().prefix());
        yield InvalidPropertyException.check(property, () -> TenantResolvers.pathPrefix(prefix));
      }
      case "gateway" -> {
        String property = "tenantkit.resolvers.gateway.trusted-proxies";
        if (config.gateway().trustedProxies().isEmpty()) {
          throw new InvalidPropertyException(
              property, "must list the gateway's addresses when 'gateway' is in " + ORDER);
        }
        yield InvalidPropertyException.check(
            "tenantkit.resolvers.gateway",
            () ->
                TenantResolvers.trustedGateway(
                    config.gateway().trustedProxies(), config.gateway().scopes()));
      }
      default -> JwtResolvers.build(config.jwt(), clock);
    };
  }

  private static String required(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidPropertyException(
          property, "must be set when its resolver is listed in " + ORDER);
    }
    return value.strip();
  }
}
