package io.ipc4j.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link Fixture} classes through JUnit's EngineTestKit. */
final class Fixtures {
  static final String ENABLED = "ipc4j.testkit.fixtures";

  private Fixtures() {}

  static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(ENABLED, "true")
        .selectors(selectClass(fixture))
        .execute();
  }
}
