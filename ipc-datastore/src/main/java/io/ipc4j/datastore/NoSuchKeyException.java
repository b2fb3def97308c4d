package io.ipc4j.datastore;

/**
 * Thrown by a {@link DataStore} when no value is stored under a name for an author. Remote
 * callers see it as an {@code IpcRemoteException} with this class name, which
 * {@link DataStoreClient} turns into {@link DataStoreException.NotFound}.
 */
public class NoSuchKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String author;

  /** Says that {@code name} is not stored for {@code author}. */
  public NoSuchKeyException(String name, String author) {
    super("no value named '" + name + "' for author '" + author + "'");
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
