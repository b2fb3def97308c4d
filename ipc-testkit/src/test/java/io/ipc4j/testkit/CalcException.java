package io.ipc4j.testkit;

/** The checked exception {@link Calc#divide} declares; proxies rebuild it from the server. */
public final class CalcException extends Exception {
  private static final long serialVersionUID = 1L;

  public CalcException(String message) {
    super(message);
  }
}
