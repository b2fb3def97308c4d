package io.ipc4j.datastore;

/**
 * A data store operation failed; the subclass says how, so that a caller can catch exactly what
 * it can handle (or turn it into a default, as {@link DataStoreClient#getOrDefault} does):
 *
 * <ul>
 *   <li>{@link NoSuchKeyException}: nothing is stored under the name for the author;
 *   <li>{@link DataStoreUnavailableException}: the server did not answer, even after retries;
 *   <li>{@link ValueNotSerializableException}: a value cannot travel as JSON;
 *   <li>{@link DataStoreRemoteException}: the server refused or failed the call.
 * </ul>
 */
public abstract sealed class DataStoreException extends RuntimeException
    permits NoSuchKeyException, DataStoreUnavailableException, ValueNotSerializableException,
        DataStoreRemoteException {
  private static final long serialVersionUID = 1L;

  DataStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
