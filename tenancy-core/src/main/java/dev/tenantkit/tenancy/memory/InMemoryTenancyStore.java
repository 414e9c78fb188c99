package dev.tenantkit.tenancy.memory;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.spi.ApiKeyStore;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tenants and API keys in memory, for tests and single-process use. Thread-safe: every operation
 * holds one lock, which keeps the uniqueness rules exact. Nothing survives a restart.
 */
public final class InMemoryTenancyStore implements TenancyStore {
  private final Object lock = new Object();
  private final TreeMap<TenantId, Tenant> tenants = new TreeMap<>();
  private final Map<String, TenantId> names = new HashMap<>();
  private final Map<TenantId, Map<String, StoredApiKey>> keys = new HashMap<>();
  private final TenantStore tenantStore = new Tenants();
  private final ApiKeyStore apiKeyStore = new Keys();

  private InMemoryTenancyStore() {}

  /** A new, empty store. */
  public static InMemoryTenancyStore create() {
    return new InMemoryTenancyStore();
  }

  @Override
  public TenantStore tenants() {
    return tenantStore;
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeyStore;
  }

  private static String nameKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private final class Tenants implements TenantStore {
    @Override
    public void insert(Tenant tenant) {
      synchronized (lock) {
        if (tenants.containsKey(tenant.id())) {
          throw new ConflictException("tenant '" + tenant.id() + "' already exists");
        }
        if (names.containsKey(nameKey(tenant.name()))) {
          throw new ConflictException("a tenant named '" + tenant.name() + "' already exists");
        }
        tenants.put(tenant.id(), tenant);
        names.put(nameKey(tenant.name()), tenant.id());
      }
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
      synchronized (lock) {
        return Optional.ofNullable(tenants.get(id));
      }
    }

    @Override
    public boolean update(Tenant tenant, long expectedVersion) {
      synchronized (lock) {
        Tenant current = tenants.get(tenant.id());
        if (current == null || current.version() != expectedVersion) {
          return false;
        }
        TenantId owner = names.get(nameKey(tenant.name()));
        if (owner != null && !owner.equals(tenant.id())) {
          throw new ConflictException("a tenant named '" + tenant.name() + "' already exists");
        }
        names.remove(nameKey(current.name()));
        names.put(nameKey(tenant.name()), tenant.id());
        tenants.put(tenant.id(), tenant);
        return true;
      }
    }

    @Override
    public List<Tenant> list(TenantStatus status, TenantId after, int limit) {
      synchronized (lock) {
        Map<TenantId, Tenant> view = after == null ? tenants : tenants.tailMap(after, false);
        List<Tenant> out = new ArrayList<>();
        for (Tenant t : view.values()) {
          if (out.size() == limit) {
            break;
          }
          boolean matches =
              status == null ? t.status() != TenantStatus.DELETED : t.status() == status;
          if (matches) {
            out.add(t);
          }
        }
        return out;
      }
    }

    @Override
    public boolean delete(TenantId id) {
      synchronized (lock) {
        Tenant removed = tenants.remove(id);
        if (removed != null) {
          names.remove(nameKey(removed.name()));
        }
        return removed != null;
      }
    }
  }

  private final class Keys implements ApiKeyStore {
    @Override
    public void insert(StoredApiKey key) {
      synchronized (lock) {
        Map<String, StoredApiKey> own =
            keys.computeIfAbsent(key.key().tenantId(), t -> new HashMap<>());
        if (own.putIfAbsent(key.key().id(), key) != null) {
          throw new ConflictException("API key id '" + key.key().id() + "' is taken");
        }
      }
    }

    @Override
    public Optional<StoredApiKey> find(TenantId tenantId, String keyId) {
      synchronized (lock) {
        return Optional.ofNullable(keys.getOrDefault(tenantId, Map.of()).get(keyId));
      }
    }

    @Override
    public List<ApiKey> list(TenantId tenantId) {
      synchronized (lock) {
        return keys.getOrDefault(tenantId, Map.of()).values().stream()
            .map(StoredApiKey::key)
            .sorted(Comparator.comparing(ApiKey::createdAt).reversed().thenComparing(ApiKey::id))
            .toList();
      }
    }

    @Override
    public boolean revoke(TenantId tenantId, String keyId, Instant at) {
      synchronized (lock) {
        StoredApiKey s = keys.getOrDefault(tenantId, Map.of()).get(keyId);
        if (s == null) {
          return false;
        }
        if (s.key().revokedAt() == null) {
          replace(s, at, s.key().lastUsedAt());
        }
        return true;
      }
    }

    @Override
    public void touch(TenantId tenantId, String keyId, Instant at) {
      synchronized (lock) {
        StoredApiKey s = keys.getOrDefault(tenantId, Map.of()).get(keyId);
        if (s != null) {
          replace(s, s.key().revokedAt(), at);
        }
      }
    }

    @Override
    public int deleteAll(TenantId tenantId) {
      synchronized (lock) {
        Map<String, StoredApiKey> removed = keys.remove(tenantId);
        return removed == null ? 0 : removed.size();
      }
    }

    private void replace(StoredApiKey s, Instant revokedAt, Instant lastUsedAt) {
      ApiKey k = s.key();
      ApiKey next =
          new ApiKey(
              k.id(),
              k.tenantId(),
              k.name(),
              k.scopes(),
              k.createdAt(),
              k.expiresAt(),
              revokedAt,
              lastUsedAt);
      keys.get(k.tenantId()).put(k.id(), new StoredApiKey(next, s.secretHash()));
    }
  }
}
