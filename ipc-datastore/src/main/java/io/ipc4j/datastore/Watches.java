package io.ipc4j.datastore;

import io.ipc4j.core.RemoteReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The watches of a {@link FileDataStore} and the delivery of its changes to them.
 *
 * <p>The store {@linkplain #publish publishes} each change while it holds its lock, so changes
 * queue up in the order it applied them, each with the watches it concerns at that moment; after
 * releasing the lock it {@linkplain #deliver delivers} them. One thread at a time delivers, the
 * queue's whole content in order, so every listener hears its changes in order and never while
 * the store's lock is held; a writer that finds another thread delivering leaves its changes to
 * that thread and returns.
 */
final class Watches {
  private static final Logger logger = Logger.getLogger(FileDataStore.class.getName());

  private final int max;
  /** Guarded by this. The watches of one name, by name. */
  private final Map<String, Set<Watcher>> byName = new HashMap<>();
  /** Guarded by this. The watches of every name (of one author or all). */
  private final Set<Watcher> anyName = new LinkedHashSet<>();
  private volatile int count;

  private record Notice(Change change, List<Watcher> to) {}

  private final Queue<Notice> notices = new ConcurrentLinkedQueue<>();
  /** How many deliveries were asked for since the delivering thread last looked; 0 = none runs. */
  private final AtomicInteger asked = new AtomicInteger();

  Watches(int max) {
    this.max = max;
  }

  /**
   * Starts a watch of {@code name} (every name when null) of {@code author} (every author when
   * null).
   *
   * @throws IllegalStateException when the store has {@link #max} watches already
   */
  Watch add(String name, String author, ChangeListener listener) {
    Watcher w = new Watcher(name, author, listener);
    synchronized (this) {
      if (count >= max) {
        throw new IllegalStateException("quota exceeded: the store would have " + (count + 1)
            + " watches; at most " + max);
      }
      (name == null ? anyName : byName.computeIfAbsent(name, n -> new LinkedHashSet<>())).add(w);
      count++;
    }
    if (listener instanceof RemoteReference reference) {
      // a client that went away ends its listener: drop the watch now, not at the next change
      reference.ended().whenComplete((why, e) -> w.drop(why));
    }
    return w;
  }

  /** Whether no watch is open; the store then makes no {@link Change}s. */
  boolean isEmpty() {
    return count == 0;
  }

  /** How many watches are open. */
  int count() {
    return count;
  }

  /** Queues {@code change} for the watches it concerns. Call while holding the store's lock. */
  synchronized void publish(Change change) {
    List<Watcher> to = new ArrayList<>(1);
    Set<Watcher> named = byName.get(change.name());
    if (named != null) {
      named.stream().filter(w -> w.concerns(change.author())).forEach(to::add);
    }
    anyName.stream().filter(w -> w.concerns(change.author())).forEach(to::add);
    if (!to.isEmpty()) {
      notices.add(new Notice(change, to));
    }
  }

  /**
   * Delivers the queued changes, unless another thread is delivering (it then delivers them too).
   * Call after releasing the store's lock.
   */
  void deliver() {
    if (asked.getAndIncrement() != 0) {
      return;
    }
    int seen = 1;
    do {
      for (Notice n = notices.poll(); n != null; n = notices.poll()) {
        for (Watcher w : n.to()) {
          w.offer(n.change());
        }
      }
      seen = asked.addAndGet(-seen);
    } while (seen != 0);
  }

  /** Closes every watch: the store closed. */
  void closeAll() {
    List<Watcher> all = new ArrayList<>();
    synchronized (this) {
      byName.values().forEach(all::addAll);
      all.addAll(anyName);
    }
    all.forEach(Watcher::close);
    notices.clear();
  }

  private synchronized void remove(Watcher w) {
    if (w.name == null) {
      anyName.remove(w);
    } else {
      Set<Watcher> named = byName.get(w.name);
      if (named == null || !named.remove(w)) {
        return;
      }
      if (named.isEmpty()) {
        byName.remove(w.name);
      }
    }
    count--;
  }

  /** One watch: what it covers, its listener, and whether it is closed. */
  private final class Watcher implements Watch {
    final String name;
    final String author;
    final ChangeListener listener;
    private volatile boolean closed;

    Watcher(String name, String author, ChangeListener listener) {
      this.name = name;
      this.author = author;
      this.listener = listener;
    }

    boolean concerns(String changedAuthor) {
      return author == null || author.equals(changedAuthor);
    }

    /** Tells the listener, unless closed; drops a listener that throws. Delivering thread only. */
    void offer(Change change) {
      if (closed) {
        return;
      }
      try {
        listener.changed(change);
      } catch (Throwable t) { // a listener never breaks delivery to the others, nor a writer
        if (!closed) {
          close();
          logger.log(Level.WARNING, this + " dropped: its listener threw " + t, t);
        }
      }
    }

    /** Closes this watch because its listener's reference ended. */
    void drop(String why) {
      if (!closed) {
        close();
        logger.fine(() -> this + " closed: its listener ended (" + why + ")");
      }
    }

    @Override
    public void close() {
      closed = true;
      remove(this);
    }

    @Override
    public String toString() {
      return "watch of " + (name == null ? "every name" : "'" + Bounds.shown(name) + "'")
          + " of " + (author == null ? "every author" : "author '" + Bounds.shown(author) + "'");
    }
  }
}
