package io.ipc4j.bench;

import io.ipc4j.core.NonBlocking;

/**
 * {@link BenchObject} with {@code add} and {@code echo} marked {@link NonBlocking}: they never
 * block, so the server may run them on the transport thread (the {@code ipc4j-inline} system). The
 * callbacks wait for the client, so they stay unmarked.
 */
public final class NonBlockingBenchObject implements Bench {
  /** Creates the object. */
  public NonBlockingBenchObject() {}

  @NonBlocking
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @NonBlocking
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
