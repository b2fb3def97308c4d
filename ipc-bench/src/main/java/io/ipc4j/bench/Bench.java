package io.ipc4j.bench;

/**
 * The benchmark's object as ipc4j exposes and calls it. The typed gRPC service ({@code
 * bench/v1/bench.proto}) and {@link RmiBench} have the same two calls.
 */
public interface Bench {
  /** The name the ipc4j server exposes the object under. */
  String NAME = "bench";

  /** Answers {@code a + b}: the small call. */
  int add(int a, int b);

  /** Answers {@code data} unchanged: the payload call. */
  byte[] echo(byte[] data);
}
