package dev.tenantkit.metering.internal;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.tenancy.TenantId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mergeable state from which every aggregation of a bucket is read: count, exact sum, maximum,
 * latest event, and where the meter needs them the exact set of distinct user ids and a DDSketch of
 * the quantities. Merging two states equals aggregating the union of their events, which is what
 * makes a total the same whether read from raw events, hourly or daily rollups. Not thread-safe.
 */
final class Aggregate {
  /** The guaranteed relative accuracy of percentiles. */
  static final double RELATIVE_ACCURACY = 0.01;

  private static final byte USERS_V1 = 1;
  private static final byte SKETCH_V1 = 1;

  private long count;
  private BigDecimal sum = BigDecimal.ZERO;
  private BigDecimal max;
  private Instant latestAt;
  private long latestId;
  private BigDecimal latestValue;
  private final Set<String> users;
  private final DDSketch sketch;

  private Aggregate(boolean users, boolean sketch) {
    this.users = users ? new HashSet<>() : null;
    this.sketch = sketch ? newSketch() : null;
  }

  /** An empty state that keeps what {@code meter} needs; a meter no longer declared keeps less. */
  static Aggregate forMeter(MeterDefinition meter) {
    if (meter == null) {
      return new Aggregate(false, false);
    }
    return new Aggregate(meter.aggregation() == Aggregation.UNIQUE_COUNT, meter.distribution());
  }

  void add(RecordedEvent e) {
    add(e.id(), e.event().timestamp(), e.event().quantity(), e.event().userId());
  }

  private void add(long id, Instant at, BigDecimal quantity, String userId) {
    count++;
    sum = sum.add(quantity);
    max = max == null || quantity.compareTo(max) > 0 ? quantity : max;
    if (latestAt == null || isLater(at, id, latestAt, latestId)) {
      latestAt = at;
      latestId = id;
      latestValue = quantity;
    }
    if (users != null && userId != null) {
      users.add(userId);
    }
    if (sketch != null) {
      sketch.accept(quantity.doubleValue());
    }
  }

  void merge(Aggregate o) {
    if (o.count == 0) {
      return;
    }
    count += o.count;
    sum = sum.add(o.sum);
    max = max == null || o.max.compareTo(max) > 0 ? o.max : max;
    if (latestAt == null || isLater(o.latestAt, o.latestId, latestAt, latestId)) {
      latestAt = o.latestAt;
      latestId = o.latestId;
      latestValue = o.latestValue;
    }
    if (users != null && o.users != null) {
      users.addAll(o.users);
    }
    if (sketch != null && o.sketch != null) {
      sketch.mergeWith(o.sketch);
    }
  }

  void merge(Rollup r) {
    Aggregate o = new Aggregate(users != null, sketch != null);
    o.count = r.count();
    o.sum = r.sum();
    o.max = r.max();
    o.latestAt = r.latestAt();
    o.latestId = r.latestId();
    o.latestValue = r.latestValue();
    if (o.users != null && r.users() != null) {
      o.users.addAll(decodeUsers(r.users()));
    }
    if (o.sketch != null && r.sketch() != null) {
      o.sketch.mergeWith(decodeSketch(r.sketch()));
    }
    merge(o);
  }

  long count() {
    return count;
  }

  /**
   * The value of {@code aggregation}; zero for an empty bucket.
   *
   * @throws IllegalStateException for {@code WEIGHTED_SUM}, which no bucket state holds
   */
  BigDecimal value(Aggregation aggregation) {
    BigDecimal v =
        switch (aggregation) {
          case COUNT -> BigDecimal.valueOf(count);
          case SUM -> sum;
          case MAX -> count == 0 ? BigDecimal.ZERO : max;
          case UNIQUE_COUNT -> BigDecimal.valueOf(users == null ? 0 : users.size());
          case LATEST -> count == 0 ? BigDecimal.ZERO : latestValue;
          case WEIGHTED_SUM ->
              throw new IllegalStateException(
                  "a weighted sum depends on when each event happened: read it with WeightedSums");
        };
    return Quantities.normalize(v);
  }

  /** The quantity at quantile {@code q}, within the relative accuracy; zero when empty. */
  BigDecimal quantile(double q) {
    if (sketch == null || sketch.isEmpty()) {
      return BigDecimal.ZERO;
    }
    return Quantities.fromSketch(sketch.getValueAtQuantile(q));
  }

  Rollup toRollup(
      TenantId tenant,
      String meter,
      Granularity granularity,
      Instant bucket,
      String dimension,
      String dimensionValue) {
    return new Rollup(
        tenant,
        meter,
        granularity,
        bucket,
        dimension,
        dimensionValue,
        count,
        Quantities.normalize(sum),
        Quantities.normalize(max),
        latestAt,
        latestId,
        Quantities.normalize(latestValue),
        users == null ? null : encodeUsers(users),
        sketch == null ? null : encodeSketch(sketch));
  }

  private static boolean isLater(Instant at, long id, Instant thanAt, long thanId) {
    int c = at.compareTo(thanAt);
    return c > 0 || (c == 0 && id > thanId);
  }

  private static DDSketch newSketch() {
    return DDSketches.logarithmicUnboundedDense(RELATIVE_ACCURACY);
  }

  /** Version byte, count, then each id in sorted order as modified UTF-8. */
  static byte[] encodeUsers(Set<String> users) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(USERS_V1);
      out.writeInt(users.size());
      for (String u : new TreeSet<>(users)) {
        out.writeUTF(u);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Set<String> decodeUsers(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      byte version = in.readByte();
      if (version != USERS_V1) {
        throw new IllegalStateException("unknown encoding of distinct users: " + version);
      }
      int n = in.readInt();
      Set<String> users = new HashSet<>();
      for (int i = 0; i < n; i++) {
        users.add(in.readUTF());
      }
      return users;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Version byte, then the DDSketch's own encoding with its index mapping. */
  static byte[] encodeSketch(DDSketch sketch) {
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    out.writeByte(SKETCH_V1);
    try {
      sketch.encode(out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.trimmedCopy();
  }

  static DDSketch decodeSketch(byte[] encoded) {
    if (encoded.length == 0 || encoded[0] != SKETCH_V1) {
      throw new IllegalStateException("unknown encoding of a sketch");
    }
    try {
      return DDSketch.decode(
          ByteArrayInput.wrap(Arrays.copyOfRange(encoded, 1, encoded.length)),
          UnboundedSizeDenseStore::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
