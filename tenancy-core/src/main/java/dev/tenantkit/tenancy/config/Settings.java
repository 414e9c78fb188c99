package dev.tenantkit.tenancy.config;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's configuration as flat string key/values, read through typed getters whose errors name
 * the full key: the one layer between a host's configuration source and Tenantkit's builders.
 * Servlet filters feed it their init-params, the Spring Boot adapter its bound {@code tenantkit.*}
 * properties (keyed by their documented names), and what it reads is the same either way. (These
 * are the host's settings, not a tenant's; those are {@link dev.tenantkit.tenancy.TenantSettings}.)
 *
 * <p>A view {@link #under(String) under} a prefix reads names relative to it and reports full keys,
 * so {@code settings.under("tenantkit.quotas.").text("zone")} names {@code tenantkit.quotas.zone}.
 * Values are stripped; a blank value counts as absent.
 *
 * <p>Immutable and thread-safe. Every getter throws {@link InvalidSettingException} naming the key
 * for a value it cannot read.
 */
public final class Settings {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("\\d[\\d_]*");

  private final Map<String, String> values;
  private final String prefix;

  private Settings(Map<String, String> values, String prefix) {
    this.values = values;
    this.prefix = prefix;
  }

  /**
   * Settings over {@code values}, in their iteration order (which decides the order of {@link
   * #names()}, {@link #groups()} and {@link #rules}).
   *
   * @throws NullPointerException if a key or value is null
   */
  public static Settings of(Map<String, String> values) {
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new NullPointerException("a setting needs a key and a value");
          }
          copy.put(k, v);
        });
    return new Settings(Collections.unmodifiableMap(copy), "");
  }

  /**
   * The settings whose keys start with {@code prefix} (such as {@code "tenantkit.filter."}), read
   * by the rest of their key; errors still name the full key.
   */
  public Settings under(String prefix) {
    return new Settings(values, this.prefix + prefix);
  }

  /** The full key of {@code name} in this view, for messages. */
  public String key(String name) {
    return prefix + name;
  }

  /** The names of every setting in this view, relative to it, in order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (String k : values.keySet()) {
      if (k.startsWith(prefix)) {
        names.add(k.substring(prefix.length()));
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * The distinct first segments (up to the first {@code .}) of the names in this view, in order:
   * the plan ids of {@code under("plans.")} when the keys are {@code plans.<plan>.<limit>.kind}.
   */
  public Set<String> groups() {
    Set<String> groups = new LinkedHashSet<>();
    for (String name : names()) {
      int dot = name.indexOf('.');
      groups.add(dot < 0 ? name : name.substring(0, dot));
    }
    return Collections.unmodifiableSet(groups);
  }

  /**
   * Refuses any name in this view that is not in {@code allowed}, so a misspelt key does not go
   * unnoticed.
   *
   * @throws InvalidSettingException naming the first unknown key and the allowed names
   */
  public void requireOnly(Set<String> allowed) {
    for (String name : names()) {
      if (!allowed.contains(name)) {
        throw new InvalidSettingException(
            key(name),
            allowed.isEmpty()
                ? "is not a known setting; none is taken here"
                : "is not a known setting; known here: "
                    + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** The stripped value of {@code name}, or empty when it is absent or blank. */
  public Optional<String> text(String name) {
    String v = values.get(key(name));
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** The comma-separated values of {@code name}, stripped, blank ones left out; none if absent. */
  public List<String> list(String name) {
    List<String> out = new ArrayList<>();
    for (String part : text(name).orElse("").split(",", -1)) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The comma-separated {@code left=right} rules of {@code name}, in order, each side stripped;
   * none if absent. A later rule with the same left side replaces the earlier one.
   *
   * @param form how a rule is written, for the error message, such as {@code "pattern=scope"}
   * @throws InvalidSettingException if a rule has no {@code =} or an empty side
   */
  public Map<String, String> rules(String name, String form) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String rule : list(name)) {
      int eq = rule.indexOf('=');
      String left = eq < 0 ? "" : rule.substring(0, eq).strip();
      String right = eq < 0 ? "" : rule.substring(eq + 1).strip();
      if (left.isEmpty() || right.isEmpty()) {
        throw new InvalidSettingException(
            key(name), "holds '" + rule + "'; a rule has the form " + form);
      }
      out.put(left, right);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The whole number of {@code name} (digits, {@code _} allowed between them), or empty when
   * absent.
   *
   * @throws InvalidSettingException if it is not a whole number from 0 or does not fit a long
   */
  public OptionalLong wholeNumber(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    if (WHOLE.matcher(v.get()).matches()) {
      try {
        return OptionalLong.of(Long.parseLong(v.get().replace("_", "")));
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(key(name), "is too large");
      }
    }
    throw new InvalidSettingException(
        key(name), "is '" + v.get() + "', which is not a whole number");
  }

  /**
   * The boolean of {@code name}: {@code true} or {@code false} in any case; empty when absent.
   *
   * @throws InvalidSettingException if it is anything else
   */
  public Optional<Boolean> bool(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String lower = v.get().toLowerCase(Locale.ROOT);
    if (!lower.equals("true") && !lower.equals("false")) {
      throw new InvalidSettingException(key(name), "must be true or false");
    }
    return Optional.of(Boolean.parseBoolean(lower));
  }

  /**
   * The duration of {@code name} in the form of {@link #parseDuration}; empty when absent.
   *
   * @throws InvalidSettingException if it is not such a duration
   */
  public Optional<Duration> duration(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseDuration(v.get()));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key(name), e.getMessage());
    }
  }

  /**
   * Runs a builder step fed from the setting {@code name} and, when the builder refuses the value
   * (with an {@link IllegalArgumentException} or an {@link InvalidInputException}), rethrows that
   * as an {@link InvalidSettingException} naming the key: "is not valid: " and the builder's
   * message.
   *
   * @return what the step returned
   * @throws InvalidSettingException if the builder refused the value
   */
  public <T> T check(String name, Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidSettingException e) {
      throw e;
    } catch (IllegalArgumentException | InvalidInputException e) {
      InvalidSettingException refused =
          new InvalidSettingException(key(name), "is not valid: " + e.getMessage());
      refused.initCause(e);
      throw refused;
    }
  }

  /**
   * A duration written as a number and a unit ({@code 500ms}, {@code 30s}, {@code 1m}, {@code 2h},
   * {@code 1d}) or in ISO-8601 ({@code PT1M}): the one form every Tenantkit setting and catalog
   * file uses.
   *
   * @throws IllegalArgumentException saying what the forms are, if {@code text} is neither
   */
  public static Duration parseDuration(String text) {
    String s = text.strip();
    Matcher m = SHORT_DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + s + "' is not a duration such as 30s, 1m, 1h or PT1M", e);
    }
  }

  @Override
  public String toString() {
    // Values may be secrets.
    return "Settings" + (prefix.isEmpty() ? "" : "[under " + prefix + "]") + names();
  }
}
