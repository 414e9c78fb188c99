package dev.tenantkit.metering.quota.spi;

/**
 * The result of a conditional change of a {@link QuotaCell} ({@link QuotaCell#tryAdd}, {@link
 * QuotaCell#tryTake}, each entry of {@link QuotaStore#tryApplyAll}): one {@code long} that says
 * whether the change was made and the state it left or found. This class is the one place that
 * encodes and decodes it; nothing else should compare results with numbers.
 *
 * <table>
 *   <caption>What a result means</caption>
 *   <tr><th>value</th><th>meaning</th><th>made with</th><th>read with</th></tr>
 *   <tr><td>{@code 0} to {@code Long.MAX_VALUE}</td><td>applied: the state after the change</td>
 *       <td>{@link #applied}</td><td>{@link #isApplied}, {@link #state}</td></tr>
 *   <tr><td>{@code -1} to {@code Long.MIN_VALUE + 1}</td><td>rejected: nothing changed, and the
 *       state found was {@code -1 - value}</td><td>{@link #rejected}</td>
 *       <td>{@link #isRejected}, {@link #state}</td></tr>
 *   <tr><td>{@code Long.MIN_VALUE}</td><td>nothing changed, because the tenant's override is not
 *       the one the caller expected</td><td>{@link #OVERRIDE_CHANGED}</td>
 *       <td>{@link #isOverrideChanged}</td></tr>
 * </table>
 *
 * <p><b>Why a {@code long} and not a small result object.</b> A decision on the in-memory store
 * allocates nothing but the decision itself, and the cell's method is called through the {@link
 * QuotaCell} interface. An object returned across that call is removed by escape analysis only if
 * the JIT inlines the cell's method into the decision; where the call site sees more than two cell
 * classes (a wrapping store, two stores in one process) it is not inlined, and every decision then
 * allocates the result too. The JMH benchmark {@code QuotaCellResults} ({@code -prof gc}) measured
 * 24 bytes per decision (the decision alone) for a {@code long} whether the call site sees one cell
 * class or three, and for a result object 24 bytes with one class but 48 with three; a decision on
 * H2 allocates about 30,000 bytes anyway. The command and the figures are in {@code
 * docs/performance.md} ("Quota store results"). A {@code long} costs nothing in every case, so the
 * encoding stays, here in one place and with one meaning per value.
 *
 * <p>Not instantiable; its methods are pure and thread-safe.
 */
public final class CellResult {
  /**
   * Nothing changed, because the tenant's override is no longer the one the caller computed its
   * bounds from: the caller reads {@link QuotaCell#override()} again and retries. Distinct from
   * every applied or rejected result.
   */
  public static final long OVERRIDE_CHANGED = Long.MIN_VALUE;

  /** The largest state a rejection can carry, so that no rejection is {@link #OVERRIDE_CHANGED}. */
  public static final long MAX_REJECTED_STATE = Long.MAX_VALUE - 1;

  private CellResult() {}

  /**
   * The change was made and left the state at {@code state}, which is non-negative (unchecked: this
   * is on every decision's path).
   */
  public static long applied(long state) {
    return state;
  }

  /**
   * Nothing changed; the state found was {@code state}, from 0 to {@link #MAX_REJECTED_STATE}
   * (unchecked: this is on every denial's path).
   */
  public static long rejected(long state) {
    return -1 - state;
  }

  /** Whether the change was made. */
  public static boolean isApplied(long result) {
    return result >= 0;
  }

  /** Whether the change was refused by its condition (not for a changed override). */
  public static boolean isRejected(long result) {
    return result < 0 && result != OVERRIDE_CHANGED;
  }

  /** Whether nothing changed because the override is not the one expected. */
  public static boolean isOverrideChanged(long result) {
    return result == OVERRIDE_CHANGED;
  }

  /**
   * The state an applied or rejected result carries: after the change, or as found.
   *
   * @throws IllegalArgumentException for {@link #OVERRIDE_CHANGED}, which carries none
   */
  public static long state(long result) {
    if (result >= 0) {
      return result;
    }
    if (result == OVERRIDE_CHANGED) {
      throw new IllegalArgumentException("OVERRIDE_CHANGED carries no state");
    }
    return -1 - result;
  }
}
