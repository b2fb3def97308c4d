package io.ipc4j.bench;

import io.ipc4j.core.NonBlocking;

/**
 * {@link BenchObject} with {@code add} and {@code echo} marked {@link NonBlocking}: they never
 * block, so the server may run them on the transport thread (the {@code ipc4j-inline} system). The
 * callbacks wait for the client, so they stay unmarked.
 */
public final class NonBlockingBenchObject implements Bench {
  /** The callbacks, as {@link BenchObject} makes them. */
  private final BenchObject callbacks = new BenchObject();

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
    return callbacks.callBack(adder, a, b);
  }

  @Override
  public int callBackTimes(Adder adder, int a, int n) {
    return callbacks.callBackTimes(adder, a, n);
  }
}
