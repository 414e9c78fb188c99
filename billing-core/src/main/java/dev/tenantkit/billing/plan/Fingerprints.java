package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.price.PriceModel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Currency;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical text and SHA-256 of a {@link PlanPrices}: the text is the prices' stored form
 * ({@link PlanPricesJson}, the catalog's form, whose field names are fixed in code), so a stored
 * fingerprint stays true when a Java class or record component is renamed, and decimals are written
 * without trailing zeros (the values keep none) so that {@code 29} and {@code 29.00} are one price.
 * Prices with a price model defined outside the price package have no catalog form; they are
 * fingerprinted by a walk over their record components instead (such prices cannot be stored by the
 * JDBC store anyway).
 */
final class Fingerprints {
  private Fingerprints() {}

  static String of(PlanPrices prices) {
    String text;
    try {
      text = PlanPricesJson.write(prices).toString();
    } catch (IllegalArgumentException noCatalogForm) {
      text = canonical(prices);
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
      throw new IllegalStateException(e);
    }
  }

  static String canonical(Object value) {
    StringBuilder text = new StringBuilder();
    write(value, text);
    return text.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof BigDecimal d) {
      out.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (value instanceof String s) {
      out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (value instanceof Currency c) {
      out.append(c.getCurrencyCode());
    } else if (value instanceof Enum<?> e) {
      out.append(e.name());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Optional<?> o) {
      write(o.orElse(null), out);
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object o : list) {
        out.append(first ? "" : ",");
        write(o, out);
        first = false;
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        out.append(first ? "" : ",");
        write(e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
        first = false;
      }
      out.append('}');
    } else if (value.getClass().isRecord()) {
      writeRecord(value, out);
    } else if (hasOwnToString(value)) {
      out.append(value.getClass().getName()).append('(').append(value).append(')');
    } else {
      // Object.toString has an identity hash: every publication would look like a price change.
      throw new IllegalStateException(
          value.getClass().getName()
              + " cannot be fingerprinted: make it a record (as price models are) or give it a"
              + " value-based toString");
    }
  }

  private static boolean hasOwnToString(Object value) {
    try {
      return value.getClass().getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static void writeRecord(Object value, StringBuilder out) {
    // A price model is named by its catalog type, which is stable; other records by class name.
    out.append(
        value instanceof PriceModel m ? "model:" + m.type() : value.getClass().getSimpleName());
    out.append('{');
    boolean first = true;
    for (RecordComponent rc : value.getClass().getRecordComponents()) {
      out.append(first ? "" : ",").append(rc.getName()).append('=');
      write(component(value, rc.getAccessor()), out);
      first = false;
    }
    out.append('}');
  }

  private static Object component(Object record, Method accessor) {
    try {
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor + " for a fingerprint", e);
    }
  }
}
