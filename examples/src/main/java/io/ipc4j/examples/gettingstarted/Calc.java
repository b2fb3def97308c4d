package io.ipc4j.examples.gettingstarted;

/** What clients may call. Optional: it gives them a typed proxy. */
public interface Calc {
  /** The sum of {@code a} and {@code b}. */
  int add(int a, int b);

  /** {@code a / b}, rounded towards zero; dividing by zero throws ArithmeticException. */
  int divide(int a, int b) throws ArithmeticException;
}
