package io.ipc4j.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Calc} that counts the calls that reached it. */
public final class CountingCalc implements Calc {
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public int add(int a, int b) {
    calls.incrementAndGet();
    return a + b;
  }

  @Override
  public int divide(int a, int b) throws CalcException {
    calls.incrementAndGet();
    if (b == 0) {
      throw new CalcException("cannot divide " + a + " by zero");
    }
    return a / b;
  }

  /** How many calls reached this object. */
  public int calls() {
    return calls.get();
  }
}
