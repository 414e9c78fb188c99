package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the fields of one limit, as text, into a {@link LimitSpec}: the rules shared by the catalog
 * file reader ({@link CatalogReader}) and the flat settings reader ({@link SettingsCatalogReader}),
 * so a limit means the same and is refused with the same words whichever way it is written.
 * Stateless.
 */
final class LimitFields {
  private static final Pattern DIGITS = Pattern.compile("\\d[\\d_]*");
  private static final String AMOUNT = "must be a whole number from 0, or \"unlimited\"";

  /** The fields of a limit, for naming one in a refusal. */
  enum Field {
    KIND,
    LIMIT,
    PER,
    REFILL
  }

  /** Makes the exception that refuses {@code field} of the limit being read. */
  @FunctionalInterface
  interface Refusal {
    RuntimeException at(Field field, String problem);
  }

  private LimitFields() {}

  /**
   * The limit these fields describe.
   *
   * @param kind the kind, required
   * @param limit the amount, required: digits (with {@code _} between them) or {@code unlimited}
   * @param per the period of an allowance or the refill period of a rate, or null
   * @param refill the tokens a rate gains per period, or null
   * @param perName what the period field is called where the limit is written ({@code per} in a
   *     catalog file, {@code period} in settings), for the messages
   * @param refusal makes the exception for a refused field
   */
  static LimitSpec spec(
      String kind,
      String limit,
      String per,
      String refill,
      boolean soft,
      String perName,
      Refusal refusal) {
    LimitKind k = kind(kind, refusal);
    long amount = amount(limit, Field.LIMIT, refusal);
    if (k != LimitKind.RATE && refill != null) {
      throw refusal.at(Field.REFILL, "only a rate limit has a refill");
    }
    LimitSpec spec;
    try {
      switch (k) {
        case ALLOWANCE:
          if (per == null) {
            throw refusal.at(Field.PER, "an allowance needs '" + perName + "': day or month");
          }
          spec = LimitSpec.allowance(amount, period(per, refusal));
          break;
        case GAUGE:
          if (per != null) {
            throw refusal.at(Field.PER, "a gauge has no period");
          }
          spec = LimitSpec.gauge(amount);
          break;
        default:
          if (per == null) {
            throw refusal.at(
                Field.PER, "a rate limit needs '" + perName + "': a duration such as 1m or PT1M");
          }
          Duration d = duration(per, refusal);
          long tokens = refill == null ? amount : amount(refill, Field.REFILL, refusal);
          if (amount == 0) {
            throw refusal.at(Field.LIMIT, "a rate limit needs a positive capacity");
          }
          spec = LimitSpec.rate(amount, tokens, d);
          break;
      }
    } catch (InvalidPlanCatalogException | InvalidSettingException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw refusal.at(field(e.field()), e.getMessage());
    }
    return soft ? spec.asSoft() : spec;
  }

  private static Field field(String specField) {
    switch (specField) {
      case "period":
      case "refillPeriod":
        return Field.PER;
      case "refillTokens":
        return Field.REFILL;
      case "kind":
        return Field.KIND;
      default:
        return Field.LIMIT;
    }
  }

  private static LimitKind kind(String s, Refusal refusal) {
    try {
      return LimitKind.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw refusal.at(Field.KIND, "'" + s + "' is not allowance, rate or gauge");
    }
  }

  private static ResetPeriod period(String s, Refusal refusal) {
    try {
      return ResetPeriod.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw refusal.at(Field.PER, "'" + s + "' is not day or month");
    }
  }

  private static Duration duration(String s, Refusal refusal) {
    Duration d;
    try {
      d = Settings.parseDuration(s);
    } catch (IllegalArgumentException e) {
      throw refusal.at(Field.PER, e.getMessage());
    }
    if (d.isZero() || d.isNegative()) {
      throw refusal.at(Field.PER, "must be positive");
    }
    return d;
  }

  private static long amount(String s, Field field, Refusal refusal) {
    if (s.strip().equalsIgnoreCase("unlimited")) {
      return LimitSpec.UNLIMITED;
    }
    if (DIGITS.matcher(s).matches()) {
      try {
        return Long.parseLong(s.replace("_", ""));
      } catch (NumberFormatException e) {
        throw refusal.at(field, AMOUNT);
      }
    }
    throw refusal.at(field, AMOUNT);
  }
}
