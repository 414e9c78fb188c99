package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.ApiKeyService;
import dev.tenantkit.tenancy.ApiKeyVerification;
import dev.tenantkit.tenancy.ApiKeyVerification.Reason;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Scopes;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import dev.tenantkit.tenancy.spi.TenancyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Issues and verifies keys of the form {@code tk.<tenant>.<key-id>.<secret>}. */
public final class DefaultApiKeyService implements ApiKeyService {
  static final String PREFIX = "tk.";
  private static final int KEY_ID_LENGTH = 12;
  private static final int SECRET_LENGTH = 32;
  private static final int MAX_PRESENTED_LENGTH = 200;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9]{" + KEY_ID_LENGTH + "}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9]{" + SECRET_LENGTH + "}");

  /**
   * Expiries must be before this. Both databases store later instants, but not equally far (the
   * year 999,999,999 failed on H2), and up to year 9999 an expiry is plain ISO-8601 text without a
   * sign, which is what clients of the operator API send and parse.
   */
  private static final Instant LATEST_EXPIRY = Instant.parse("+10000-01-01T00:00:00Z");

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  /** Compared against when a key id is unknown, so that path costs the same as a wrong secret. */
  private static final String DUMMY_HASH = sha256Hex("tenantkit-dummy-secret");

  private final TenancyStore store;
  private final InstantSource clock;
  private final Duration lastUsedGranularity;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param store where keys live
   * @param clock the time source
   * @param lastUsedGranularity how often at most a key's last use is written
   */
  public DefaultApiKeyService(
      TenancyStore store, InstantSource clock, Duration lastUsedGranularity) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastUsedGranularity = Objects.requireNonNull(lastUsedGranularity, "lastUsedGranularity");
  }

  @Override
  public IssuedApiKey issue(TenantId tenantId, ApiKeyRequest request) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(request, "request");
    Tenant tenant = store.tenants().find(tenantId).orElse(null);
    if (tenant == null || tenant.status() == TenantStatus.DELETED) {
      throw new TenantNotFoundException(tenantId);
    }
    String name = request.name() == null ? "" : request.name().strip();
    if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("name", "must be at most 200 printable characters");
    }
    Set<String> scopes =
        request.scopes() == null || request.scopes().isEmpty()
            ? Set.of(Scopes.ALL)
            : Scopes.validate(request.scopes());
    Instant now = now();
    Instant expiresAt = request.expiresAt();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new InvalidInputException("expiresAt", "must be in the future");
    }
    if (expiresAt != null && !expiresAt.isBefore(LATEST_EXPIRY)) {
      throw new InvalidInputException("expiresAt", "must be before the year 10000");
    }
    if (expiresAt != null) {
      expiresAt = expiresAt.truncatedTo(ChronoUnit.MICROS);
    }
    for (int attempt = 0; ; attempt++) {
      String keyId = randomString(KEY_ID_LENGTH);
      String secret = randomString(SECRET_LENGTH);
      ApiKey key = new ApiKey(keyId, tenantId, name, scopes, now, expiresAt, null, null);
      try {
        store.apiKeys().insert(new StoredApiKey(key, sha256Hex(secret)));
      } catch (ConflictException e) {
        // 71 random bits per id make this all but impossible; a second try settles it.
        if (attempt < 2) {
          continue;
        }
        throw e;
      }
      return new IssuedApiKey(key, PREFIX + tenantId.value() + "." + keyId + "." + secret);
    }
  }

  @Override
  public List<ApiKey> list(TenantId tenantId) {
    return store.apiKeys().list(Objects.requireNonNull(tenantId, "tenantId"));
  }

  @Override
  public ApiKey revoke(TenantId tenantId, String keyId) {
    Objects.requireNonNull(tenantId, "tenantId");
    if (keyId == null
        || !KEY_ID.matcher(keyId).matches()
        || !store.apiKeys().revoke(tenantId, keyId, now())) {
      throw new NotFoundException("tenant '" + tenantId + "' has no API key '" + keyId + "'");
    }
    return store.apiKeys().find(tenantId, keyId).orElseThrow().key();
  }

  @Override
  public ApiKeyVerification verify(String presented) {
    Optional<Parsed> parsed = parse(presented);
    if (parsed.isEmpty()) {
      return new ApiKeyVerification.Invalid(Reason.MALFORMED);
    }
    Parsed p = parsed.get();
    Optional<StoredApiKey> stored = store.apiKeys().find(p.tenantId(), p.keyId());
    String expected = stored.map(StoredApiKey::secretHash).orElse(DUMMY_HASH);
    boolean secretMatches =
        MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            sha256Hex(p.secret()).getBytes(StandardCharsets.US_ASCII));
    if (stored.isEmpty() || !secretMatches) {
      return new ApiKeyVerification.Invalid(Reason.UNKNOWN);
    }
    ApiKey key = stored.get().key();
    Instant now = now();
    if (key.revokedAt() != null) {
      return new ApiKeyVerification.Invalid(Reason.REVOKED);
    }
    if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
      return new ApiKeyVerification.Invalid(Reason.EXPIRED);
    }
    if (key.lastUsedAt() == null || !key.lastUsedAt().plus(lastUsedGranularity).isAfter(now)) {
      store.apiKeys().touch(key.tenantId(), key.id(), now);
    }
    return new ApiKeyVerification.Valid(key);
  }

  /** Whether {@code presented} looks like a key this service issues (it may still be invalid). */
  public static boolean looksLikeKey(String presented) {
    return presented != null && presented.startsWith(PREFIX);
  }

  private static Optional<Parsed> parse(String presented) {
    if (presented == null
        || presented.length() > MAX_PRESENTED_LENGTH
        || !presented.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = presented.substring(PREFIX.length()).split("\\.", -1);
    if (parts.length != 3
        || !TenantId.isValid(parts[0])
        || !parts[0].equals(TenantId.of(parts[0]).value())
        || !KEY_ID.matcher(parts[1]).matches()
        || !SECRET.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(TenantId.of(parts[0]), parts[1], parts[2]));
  }

  private String randomString(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String sha256Hex(String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private record Parsed(TenantId tenantId, String keyId, String secret) {}
}
