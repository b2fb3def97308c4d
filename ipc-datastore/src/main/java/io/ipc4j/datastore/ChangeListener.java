package io.ipc4j.datastore;

import io.ipc4j.core.Oneway;
import io.ipc4j.core.Remote;

/**
 * Hears the changes of the entries a {@link DataStore#watch watch} covers. It travels by
 * reference: a client's listener stays in the client, and the server calls it back over the
 * client's own connection, without waiting for it.
 *
 * <p>Changes arrive one at a time, in the order the store applied them. A listener that throws is
 * dropped: its watch closes, and the store logs why once.
 */
@Remote
@FunctionalInterface
public interface ChangeListener {

  /** Called once per change, outside the store's locks; keep it short. */
  @Oneway
  void changed(Change change);
}
