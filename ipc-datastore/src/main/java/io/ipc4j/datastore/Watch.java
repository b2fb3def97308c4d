package io.ipc4j.datastore;

import io.ipc4j.core.Remote;

/**
 * A watch that {@link DataStore#watch} started: its listener hears changes until it is closed.
 * It travels by reference: a client's {@code Watch} is a proxy of the server's, and closing it
 * (or the client, or losing the connection) closes the server's.
 */
@Remote
public interface Watch extends AutoCloseable {

  /**
   * Stops the notifications: the listener hears nothing more, but for a change that was being
   * told to it as the watch closed. Idempotent.
   */
  @Override
  void close();
}
