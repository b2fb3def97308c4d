package io.ipc4j.datastore;

/**
 * A value cannot travel as JSON, such as an object Jackson cannot write; the message names the
 * entry and the cause says why.
 */
public final class ValueNotSerializableException extends DataStoreException {
  private static final long serialVersionUID = 1L;

  ValueNotSerializableException(String message, Throwable cause) {
    super(message, cause);
  }
}
