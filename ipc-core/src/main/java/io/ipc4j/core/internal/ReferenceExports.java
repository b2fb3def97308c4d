package io.ipc4j.core.internal;

import io.ipc4j.proto.v1.Release;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The objects one end of a session gave out by reference, by id: the same id for the same object
 * and interface (so that the other end can tell a listener it was given before), and how often
 * each was given out, so that a release that crossed a message carrying the id again drops
 * nothing ({@link Release#getReceivedList()}). Not thread-safe: its owner guards it.
 *
 * @param <T> what the owner keeps per object (the object itself, or how it calls it)
 */
public final class ReferenceExports<T> {
  private final Map<String, Entry<T>> byId = new HashMap<>();
  private final Map<Identity, String> ids = new HashMap<>();

  /** An object and interface, by the object's identity. */
  private record Identity(Object target, Class<?> iface) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.target == target && i.iface == iface;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(target) * 31 + iface.hashCode();
    }
  }

  private static final class Entry<T> {
    final T value;
    final Identity identity;
    long given;

    Entry(T value, Identity identity) {
      this.value = value;
      this.identity = identity;
    }
  }

  /** The id {@code target} is given out under as {@code iface}, or null when it is not. */
  public String idOf(Object target, Class<?> iface) {
    return ids.get(new Identity(target, iface));
  }

  /**
   * Gives {@code target} out as {@code iface} once more: under its id when it is out already,
   * else under a new random id, keeping {@code value} for it.
   */
  public String give(Object target, Class<?> iface, Supplier<T> value) {
    Identity identity = new Identity(target, iface);
    String id = ids.get(identity);
    if (id == null) {
      id = RemoteTypes.newId();
      ids.put(identity, id);
      byId.put(id, new Entry<>(value.get(), identity));
    }
    byId.get(id).given++;
    return id;
  }

  /** What is kept for {@code id}, or null when nothing is given out under it. */
  public T get(String id) {
    Entry<T> e = byId.get(id);
    return e == null ? null : e.value;
  }

  /**
   * Drops what {@code release} names, unless given out more often than the other end had
   * received it; answers what was dropped.
   */
  public List<T> release(Release release) {
    List<T> dropped = new ArrayList<>();
    for (int i = 0; i < release.getReferencesCount(); i++) {
      String id = release.getReferences(i);
      Entry<T> e = byId.get(id);
      if (e == null) {
        continue;
      }
      long received = i < release.getReceivedCount() ? release.getReceived(i) : e.given;
      if (received >= e.given) {
        byId.remove(id);
        ids.remove(e.identity);
        dropped.add(e.value);
      } else {
        e.given -= received;
      }
    }
    return dropped;
  }

  /** How many objects are given out. */
  public int size() {
    return byId.size();
  }

  /** What is kept for every object given out. */
  public Collection<T> values() {
    List<T> values = new ArrayList<>();
    byId.values().forEach(e -> values.add(e.value));
    return values;
  }

  /** Drops everything; answers what was kept. */
  public List<T> clear() {
    List<T> all = new ArrayList<>(values());
    byId.clear();
    ids.clear();
    return all;
  }
}
