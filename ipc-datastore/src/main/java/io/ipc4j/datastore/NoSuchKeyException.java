package io.ipc4j.datastore;

/**
 * Nothing is stored under a name for an author. Thrown by {@link FileDataStore} and, for the same
 * reason on the server, by {@link DataStoreClient}; a plain {@code IpcClient} proxy sees it as an
 * {@code IpcRemoteException} whose remote class name is this class's name.
 */
public final class NoSuchKeyException extends DataStoreException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String author;

  /** Says that {@code name} is not stored for {@code author}. */
  public NoSuchKeyException(String name, String author) {
    this(name, author, null);
  }

  NoSuchKeyException(String name, String author, Throwable cause) {
    super("no value named '" + name + "' for author '" + author + "'", cause);
    this.name = name;
    this.author = author;
  }

  /** The name that was asked for. */
  public String name() {
    return name;
  }

  /** The author the name was asked for. */
  public String author() {
    return author;
  }
}
