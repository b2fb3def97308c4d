package io.ipc4j.datastore;

/**
 * The data store server did not answer: not running, unreachable, stopping or too slow, even
 * after {@link DataStoreClient}'s retries. The cause is the last {@code IpcException}.
 */
public final class DataStoreUnavailableException extends DataStoreException {
  private static final long serialVersionUID = 1L;

  DataStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
