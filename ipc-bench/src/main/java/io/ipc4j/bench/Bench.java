package io.ipc4j.bench;

/**
 * The benchmark's object as ipc4j exposes and calls it. The typed gRPC service ({@code
 * bench/v1/bench.proto}) has the same first two calls, {@link RmiBench} all four.
 */
public interface Bench {
  /** The name the ipc4j server exposes the object under. */
  String NAME = "bench";

  /** Answers {@code a + b}: the small call. */
  int add(int a, int b);

  /** Answers {@code data} unchanged: the payload call. */
  byte[] echo(byte[] data);

  /** Answers {@code adder.add(a, b)}, called back in the client: a call and a callback. */
  int callBack(Adder adder, int a, int b);

  /**
   * Calls {@code adder.add(a, i)} back in the client for each {@code i} below {@code n}, one after
   * another, and answers the sum of the answers: {@code n} callbacks in one call.
   */
  int callBackTimes(Adder adder, int a, int n);
}
