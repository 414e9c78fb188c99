package dev.tenantkit.metering.quota.internal;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BatchDecisionsTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final Logger log = (Logger) LoggerFactory.getLogger(StoreHealth.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void watchLog() {
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void stopWatching() {
    log.detachAppender(logged);
  }

  @Test
  void aBatchThatGivesUpOnAnOverrideThatKeepsChangingNamesThatLimit() {
    // Sorted by name, api_calls goes to the store first and tokens second; tokens' override
    // "changes" on every attempt.
    QuotaStore store = new OverrideAlwaysChanged(InMemoryQuotaStore.create(), 1);
    QuotaDecision d =
        Quotas.builder()
            .store(store)
            .planOf(t -> "free")
            .clock(FakeClock.create())
            .build()
            .tryConsumeAll(ACME, Map.of(API_CALLS, 1L, TOKENS, 1L));

    assertThat(d.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
    assertThat(logged.list)
        .anySatisfy(
            e ->
                assertThat(e.getThrowableProxy().getMessage())
                    .contains("changed override of " + TOKENS + " ")
                    .doesNotContain(API_CALLS));
  }

  /** A store whose batches answer {@code OVERRIDE_CHANGED} for the operation at one index. */
  private static final class OverrideAlwaysChanged implements QuotaStore {
    private final QuotaStore delegate;
    private final int index;

    OverrideAlwaysChanged(QuotaStore delegate, int index) {
      this.delegate = delegate;
      this.index = index;
    }

    @Override
    public QuotaCell cell(TenantId tenant, String limit) {
      return delegate.cell(tenant, limit);
    }

    @Override
    public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
      long[] results = delegate.tryApplyAll(tenant, operations);
      results[index] = CellResult.OVERRIDE_CHANGED;
      return results;
    }

    @Override
    public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
      return delegate.markThreshold(tenant, limit, periodStart, percent);
    }

    @Override
    public Map<String, Long> overrides(TenantId tenant) {
      return delegate.overrides(tenant);
    }

    @Override
    public void putOverride(TenantId tenant, String limit, long amount) {
      delegate.putOverride(tenant, limit, amount);
    }

    @Override
    public void removeOverride(TenantId tenant, String limit) {
      delegate.removeOverride(tenant, limit);
    }

    @Override
    public void purge(TenantId tenant) {
      delegate.purge(tenant);
    }
  }
}
