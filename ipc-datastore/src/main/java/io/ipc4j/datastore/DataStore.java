package io.ipc4j.datastore;

import java.util.List;
import java.util.Map;

/**
 * A key-value store shared between programs: values are kept per author under a name, each with
 * the time it was set. Values are JSON-shaped Java values (Map, List, String, Long, Double,
 * BigDecimal, Boolean or null), so that any client, grpcurl included, can read them.
 *
 * <p>Entries marked persistent survive a restart; the others live as long as the store. {@code ipc
 * serve} exposes a {@link FileDataStore} under {@code kodi-IPC}; {@link DataStoreClient} is the
 * caching, retrying client.
 */
public interface DataStore {

  /**
   * Stores {@code value} under {@code name} for {@code author}, replacing any earlier value.
   *
   * @param persist whether the entry survives a restart
   * @return the entry's new timestamp, larger than every earlier one of this store
   */
  long set(String name, Object value, String author, boolean persist);

  /**
   * The value stored under {@code name} for {@code author}, with the time it was set.
   *
   * @throws NoSuchKeyException when nothing is stored under {@code name} for {@code author}
   */
  Entry get(String name, String author);

  /**
   * Removes the value stored under {@code name} for {@code author}, persisted or not.
   *
   * @return whether there was one
   */
  boolean delete(String name, String author);

  /**
   * The names stored for {@code author}, as {@code {author: [names]}} in name order; with a null
   * author, the names of every author.
   */
  Map<String, List<String>> getDataList(String author);

  /** Removes every entry of every author, persisted ones included. */
  void clearAll();

  /**
   * Removes the entries of {@code requestor} that are not persistent (its cache), keeping the
   * persistent ones.
   *
   * @return how many entries were removed
   */
  int clearCache(String requestor);

  /**
   * Writes the entries of {@code author} (of every author when null), persistent or not, to
   * {@code file}, a path relative to the store's data directory that must stay inside it.
   *
   * @return how many entries were written
   * @throws IllegalArgumentException when {@code file} is absolute, leaves the data directory or
   *     names the store's own persistence file
   */
  int saveData(String author, String file);

  /**
   * Reads the entries of {@code author} (of every author when null) from {@code file}, written by
   * {@link #saveData}, and stores them as if set now, with their persistence flags.
   *
   * @return how many entries were restored
   * @throws IllegalArgumentException when {@code file} is absolute or leaves the data directory
   */
  int restoreData(String author, String file);

  /**
   * Starts calling {@code listener} whenever the entry under {@code name} for {@code author}
   * changes, whoever changes it: set ({@code set}, {@code restoreData}) or removed ({@code
   * delete}, {@code clearAll}, {@code clearCache}). A null {@code name} watches every name of
   * {@code author}, and a null {@code author} every author, as {@link #getDataList} reads null.
   *
   * <p>The listener hears the changes made after this returns, one at a time, in the order the
   * store applied them, until the watch is closed. A listener that throws, or whose client has
   * gone, is dropped and its watch closed. Over a connection, both the listener and the returned
   * watch travel by reference: the server calls the client's listener back, and the watch ends
   * with the client's connection.
   *
   * @return the watch; closing it stops the notifications
   */
  Watch watch(String name, String author, ChangeListener listener);

  /**
   * Marks the entry under {@code name} for {@code author} persistent.
   *
   * @throws NoSuchKeyException when nothing is stored under {@code name} for {@code author}
   */
  void addPersistence(String name, String author);

  /**
   * Marks the entry under {@code name} for {@code author} not persistent; it stays in the store
   * until a restart.
   *
   * @throws NoSuchKeyException when nothing is stored under {@code name} for {@code author}
   */
  void removePersistence(String name, String author);

  /**
   * Turns saving after every change on (the default) or off. While it is off, changes to
   * persistent entries are saved by {@link #saveData}, when the store closes, or when autosave is
   * turned on again; turning it off speeds up many changes in a row.
   */
  void setAutosave(boolean on);
}
