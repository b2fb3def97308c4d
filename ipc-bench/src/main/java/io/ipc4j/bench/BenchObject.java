package io.ipc4j.bench;

/** The ipc4j server's object: does no work beyond the call itself. */
public final class BenchObject implements Bench {
  /** Creates the object. */
  public BenchObject() {}

  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public byte[] echo(byte[] data) {
    return data;
  }

  @Override
  public int callBack(Adder adder, int a, int b) {
    return adder.add(a, b);
  }

  @Override
  public int callBackTimes(Adder adder, int a, int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) {
      sum += adder.add(a, i);
    }
    return sum;
  }
}
