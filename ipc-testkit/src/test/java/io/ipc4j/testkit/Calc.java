package io.ipc4j.testkit;

/** The interface the tests expose and call. */
public interface Calc {
  int add(int a, int b);

  int divide(int a, int b) throws CalcException;
}
