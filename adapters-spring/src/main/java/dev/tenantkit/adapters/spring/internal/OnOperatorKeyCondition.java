package dev.tenantkit.adapters.spring.internal;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code tenantkit.operator-key} is set to something other than blanks. Unlike
 * {@code @ConditionalOnProperty}, an empty value (as {@code ${TENANTKIT_OPERATOR_KEY:}} gives when
 * the variable is unset) counts as unset, so the operator API is never served with an empty key.
 */
public final class OnOperatorKeyCondition extends SpringBootCondition {
  /** The property this condition reads. */
  public static final String PROPERTY = "tenantkit.operator-key";

  /** Creates the condition; Spring instantiates it. */
  public OnOperatorKeyCondition() {}

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    String key = context.getEnvironment().getProperty(PROPERTY);
    if (key == null || key.isBlank()) {
      return ConditionOutcome.noMatch(PROPERTY + " is not set, so the operator API is off");
    }
    return ConditionOutcome.match(PROPERTY + " is set");
  }
}
