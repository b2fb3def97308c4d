package io.ipc4j.datastore;

import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;

/**
 * The server refused or failed a call: the store threw (a bad file name for {@code saveData},
 * say), or the server has no data store object, or the credentials are wrong. The cause is the
 * {@link IpcException}; for an exception the store threw it is an {@link IpcRemoteException} with
 * the remote class, message and traceback.
 */
public final class DataStoreRemoteException extends DataStoreException {
  private static final long serialVersionUID = 1L;

  DataStoreRemoteException(String message, IpcException cause) {
    super(message, cause);
  }

  /**
   * The class name of the exception the store threw, such as {@code
   * java.lang.IllegalArgumentException}; empty when the call failed before reaching the store.
   */
  public String remoteClassName() {
    return getCause() instanceof IpcRemoteException remote ? remote.getRemoteClassName() : "";
  }
}
