package io.ipc4j.core.internal;

/** A value could not be written or read by a serializer; the message says which and why. */
public final class SerializationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and the serializer's own failure. */
  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
