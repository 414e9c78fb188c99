package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import java.util.List;
import java.util.Objects;

/**
 * How the enforcer makes its decisions: {@link QuotaDecision}'s factory is package-private, and
 * {@link QuotaDecision} hands it to this class when it is initialised (the JDK's shared-secrets
 * pattern). Not a public contract: nothing outside Tenantkit may call {@link #install}.
 * Thread-safe; not instantiable.
 */
public final class Decisions {
  private static volatile Maker installed;

  private Decisions() {}

  /** {@link QuotaDecision}'s factory. */
  public interface Maker {
    /** A decision of one limit; see {@link QuotaDecision}'s accessors for the fields. */
    QuotaDecision make(
        boolean allowed,
        Reason reason,
        String limitName,
        LimitKind kind,
        long limit,
        long remaining,
        long resetAtMillis,
        long nextUnitAtMillis,
        long retryAfterNanos);

    /** {@code deciding}, reporting {@code limits} as every limit of its batch. */
    QuotaDecision withLimits(QuotaDecision deciding, List<QuotaDecision> limits);
  }

  /**
   * Called once, by {@link QuotaDecision} as it is initialised.
   *
   * @throws IllegalStateException on a second call
   */
  public static synchronized void install(Maker maker) {
    if (installed != null) {
      throw new IllegalStateException("QuotaDecision's factory is already installed");
    }
    installed = Objects.requireNonNull(maker, "maker");
  }

  /** Holds the factory in a constant once {@link QuotaDecision} is initialised. */
  private static final class Holder {
    static final Maker MAKER = load();

    private static Maker load() {
      try {
        Class.forName(QuotaDecision.class.getName(), true, QuotaDecision.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ExceptionInInitializerError(e);
      }
      return Objects.requireNonNull(installed, "QuotaDecision installed no factory");
    }
  }

  /** A decision of one limit; see {@link QuotaDecision}'s accessors for the fields. */
  static QuotaDecision of(
      boolean allowed,
      Reason reason,
      String limitName,
      LimitKind kind,
      long limit,
      long remaining,
      long resetAtMillis,
      long nextUnitAtMillis,
      long retryAfterNanos) {
    return Holder.MAKER.make(
        allowed,
        reason,
        limitName,
        kind,
        limit,
        remaining,
        resetAtMillis,
        nextUnitAtMillis,
        retryAfterNanos);
  }

  /** {@code deciding}, reporting {@code limits} as every limit of its batch, in the order given. */
  static QuotaDecision withLimits(QuotaDecision deciding, List<QuotaDecision> limits) {
    return Holder.MAKER.withLimits(deciding, limits);
  }
}
