package io.ipc4j.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that only runs inside an outer test, through {@link Fixtures#run}: its tests
 * fail or leak on purpose. Run any other way, it is disabled.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(Fixture.OnlyThroughEngineTestKit.class)
@interface Fixture {

  /** Enables a fixture only when {@link Fixtures#ENABLED} is set as configuration parameter. */
  final class OnlyThroughEngineTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(Fixtures.ENABLED).map(Boolean::parseBoolean)
          .orElse(false)
          ? ConditionEvaluationResult.enabled("run by an outer test")
          : ConditionEvaluationResult.disabled("a fixture; runs only inside an outer test");
    }
  }
}
