package io.ipc4j.bench;

import io.ipc4j.core.NonBlocking;

/**
 * {@link BenchObject} with its methods marked {@link NonBlocking}: they never block, so the server
 * may run them on the transport thread (the {@code ipc4j-inline} system).
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
}
