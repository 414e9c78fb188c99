package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;

/** Matches when the context has a {@link Metering} or a {@link QuotaEnforcer} bean, or both. */
public final class OnMeteringOrQuotasCondition extends AnyNestedCondition {

  /** Created by Spring. */
  public OnMeteringOrQuotasCondition() {
    super(ConfigurationPhase.REGISTER_BEAN);
  }

  @ConditionalOnBean(Metering.class)
  static final class HasMetering {}

  @ConditionalOnBean(QuotaEnforcer.class)
  static final class HasQuotas {}
}
