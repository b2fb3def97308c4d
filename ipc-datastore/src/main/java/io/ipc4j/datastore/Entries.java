package io.ipc4j.datastore;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The entries of a store in memory, by author and name, with what the quotas count: entries and
 * bytes per author and in total. Not thread-safe: {@link FileDataStore} holds its lock.
 */
final class Entries {
  private final Map<String, Map<String, Stored>> byAuthor = new HashMap<>();
  private final Map<String, Long> authorBytes = new HashMap<>();
  private long count;
  private long bytes;

  /** The entry under {@code name} for {@code author}, or null. */
  Stored get(String author, String name) {
    Map<String, Stored> names = byAuthor.get(author);
    return names == null ? null : names.get(name);
  }

  /** Stores {@code s}, replacing and answering the earlier entry, if any. */
  Stored put(String author, String name, Stored s) {
    Stored old = remove(author, name);
    byAuthor.computeIfAbsent(author, a -> new HashMap<>()).put(name, s);
    authorBytes.merge(author, s.size(), Long::sum);
    count++;
    bytes += s.size();
    return old;
  }

  /** Removes and answers the entry under {@code name} for {@code author}, if any. */
  Stored remove(String author, String name) {
    Map<String, Stored> names = byAuthor.get(author);
    Stored old = names == null ? null : names.remove(name);
    if (old != null) {
      count--;
      bytes -= old.size();
      if (names.isEmpty()) {
        byAuthor.remove(author);
        authorBytes.remove(author);
      } else {
        authorBytes.merge(author, -old.size(), Long::sum);
      }
    }
    return old;
  }

  void clear() {
    byAuthor.clear();
    authorBytes.clear();
    count = 0;
    bytes = 0;
  }

  /** Author to name to entry; read only (change entries through this class). */
  Map<String, Map<String, Stored>> byAuthor() {
    return Collections.unmodifiableMap(byAuthor);
  }

  /** How many entries {@code author} holds. */
  int count(String author) {
    Map<String, Stored> names = byAuthor.get(author);
    return names == null ? 0 : names.size();
  }

  /** How many bytes {@code author} holds. */
  long bytes(String author) {
    return authorBytes.getOrDefault(author, 0L);
  }

  /** How many entries all authors hold. */
  long count() {
    return count;
  }

  /** How many bytes all authors hold. */
  long bytes() {
    return bytes;
  }

  boolean anyPersistent() {
    return byAuthor.values().stream()
        .anyMatch(names -> names.values().stream().anyMatch(Stored::persist));
  }
}
