package io.ipc4j.examples.errors;

/** A vault that must be opened with a code before its contents can be read. */
public interface Vault {
  /** Opens the vault; a wrong code throws {@link WrongCodeException}. */
  String open(String code) throws WrongCodeException;

  /** The contents; throws IllegalStateException (not declared) while the vault is closed. */
  String contents();
}
