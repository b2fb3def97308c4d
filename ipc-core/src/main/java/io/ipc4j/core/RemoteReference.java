package io.ipc4j.core;

import java.util.concurrent.CompletionStage;

/**
 * What every proxy of a {@link Remote} interface is, on both ends: the server's proxy of an object
 * a client passed, and the client's proxy of an object a server method returned. Cast a proxy to
 * this type to release it early or to learn when it ends.
 */
public interface RemoteReference {

  /**
   * Ends this reference: the other end drops its object (and, for an object a server method
   * returned, closes it when it is {@link AutoCloseable}). Calls made later fail, naming the
   * interface and saying it was released. Idempotent; never throws. When the interface itself is
   * {@code AutoCloseable}, its {@code close()} does the same.
   */
  void release();

  /**
   * Completes, with why, when this reference ends: it was released on either end, or its session
   * ended (the other end went away, the server stopped, the client closed).
   */
  CompletionStage<String> ended();
}
