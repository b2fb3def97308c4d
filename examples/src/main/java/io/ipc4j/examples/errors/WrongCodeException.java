package io.ipc4j.examples.errors;

/** Thrown by {@link Vault#open}; declared, so the client gets this very type back. */
public class WrongCodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public WrongCodeException(String message) {
    super(message);
  }
}
