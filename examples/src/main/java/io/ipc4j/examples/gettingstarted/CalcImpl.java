package io.ipc4j.examples.gettingstarted;

/** A plain object to share: nothing generated, nothing extended. */
public class CalcImpl implements Calc {
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public int divide(int a, int b) {
    return a / b;                                   // b == 0: ArithmeticException "/ by zero"
  }
}
