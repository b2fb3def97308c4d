package io.ipc4j.datastore;

/**
 * One change of a stored value, as a {@link ChangeListener} hears it: a value set (by {@code
 * set} or {@code restoreData}) or removed (by {@code delete}, {@code clearAll} or {@code
 * clearCache}). Over JSON it reads {@code {"name": ..., "author": ..., "value": ..., "ts": ...,
 * "deleted": ...}}.
 *
 * @param name the entry's name
 * @param author the entry's author
 * @param value the new value, JSON-shaped as {@link DataStore#get} returns it (Map, List, String,
 *     number, Boolean or null); null when {@code deleted}. Listeners must not modify it.
 * @param ts when the change was made, in milliseconds since the epoch; for a value set, its
 *     {@link Entry#ts()}. Strictly increasing within one store across operations, so a larger
 *     {@code ts} is a later change (the entries that one {@code clearAll} or {@code clearCache}
 *     removes share one)
 * @param deleted whether the entry was removed rather than set
 */
public record Change(String name, String author, Object value, long ts, boolean deleted) {

  /** A value set under {@code name} for {@code author}. */
  static Change set(String name, String author, Object value, long ts) {
    return new Change(name, author, value, ts, false);
  }

  /** The entry under {@code name} for {@code author} removed. */
  static Change deleted(String name, String author, long ts) {
    return new Change(name, author, null, ts, true);
  }
}
