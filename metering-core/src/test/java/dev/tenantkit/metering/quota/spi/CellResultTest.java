package dev.tenantkit.metering.quota.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CellResultTest {

  @Test
  void eachValueMeansOneThing() {
    long applied = CellResult.applied(7);
    long rejected = CellResult.rejected(7);
    long changed = CellResult.OVERRIDE_CHANGED;

    assertThat(CellResult.isApplied(applied)).isTrue();
    assertThat(CellResult.isRejected(applied) || CellResult.isOverrideChanged(applied)).isFalse();
    assertThat(CellResult.state(applied)).isEqualTo(7);

    assertThat(CellResult.isRejected(rejected)).isTrue();
    assertThat(CellResult.isApplied(rejected) || CellResult.isOverrideChanged(rejected)).isFalse();
    assertThat(CellResult.state(rejected)).isEqualTo(7);

    assertThat(CellResult.isOverrideChanged(changed)).isTrue();
    assertThat(CellResult.isApplied(changed) || CellResult.isRejected(changed)).isFalse();
    assertThatThrownBy(() -> CellResult.state(changed))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExtremesStayApart() {
    assertThat(CellResult.state(CellResult.applied(0))).isZero();
    assertThat(CellResult.state(CellResult.rejected(0))).isZero();
    long largest = CellResult.rejected(CellResult.MAX_REJECTED_STATE);
    assertThat(CellResult.isRejected(largest)).isTrue();
    assertThat(CellResult.state(largest)).isEqualTo(CellResult.MAX_REJECTED_STATE);
    assertThat(QuotaStore.NO_CEILING).isEqualTo(CellResult.MAX_REJECTED_STATE);
    // A bucket's state and a result no longer share a value.
    assertThat(QuotaStore.FULL_BUCKET).isNotEqualTo(CellResult.OVERRIDE_CHANGED);
  }
}
