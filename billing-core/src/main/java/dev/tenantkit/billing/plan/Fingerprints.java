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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical text and SHA-256 of a {@link PlanPrices}. The walk is over record components, so a
 * price model added to the price package is covered without a change here; decimals are written
 * without trailing zeros so that {@code 29} and {@code 29.00} are one price.
 */
final class Fingerprints {
  private Fingerprints() {}

  static String of(PlanPrices prices) {
    StringBuilder text = new StringBuilder();
    write(prices, text);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(hash);
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
    } else {
      out.append(value.getClass().getName()).append('(').append(value).append(')');
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
