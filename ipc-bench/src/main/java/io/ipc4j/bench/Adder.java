package io.ipc4j.bench;

import io.ipc4j.core.Remote;

/**
 * The client's object that the ipc4j server calls back: it travels by reference, so {@link
 * Bench#callBack} runs {@link #add} in the client's JVM, over the client's session.
 */
@Remote
public interface Adder {
  /** Answers {@code a + b}. */
  int add(int a, int b);
}
