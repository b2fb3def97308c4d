package io.ipc4j.server;

import java.util.Collections;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.stream.BaseStream;

/**
 * The items of a streaming method's result, and what to close when the stream ends: the {@code
 * Stream} itself ({@link BaseStream#close()}), or an {@code Iterator} or {@code Iterable} that is
 * {@link AutoCloseable}.
 */
final class ItemSource {
  final Iterator<?> items;
  private final AutoCloseable iteratorCloser;
  private final AutoCloseable sourceCloser;

  private ItemSource(Iterator<?> items, AutoCloseable iteratorCloser, AutoCloseable sourceCloser) {
    this.items = items;
    this.iteratorCloser = iteratorCloser;
    this.sourceCloser = sourceCloser;
  }

  /**
   * The items of {@code result}: a {@link BaseStream}, an {@link Iterator} or an {@link Iterable};
   * null has none. Calls the result's {@code iterator()}, which is user code and may throw.
   *
   * @throws IllegalArgumentException when {@code result} is none of these
   */
  static ItemSource of(Object result) {
    if (result == null) {
      return new ItemSource(Collections.emptyIterator(), null, null);
    }
    if (result instanceof BaseStream<?, ?> stream) {
      return new ItemSource(stream.iterator(), null, stream);
    }
    if (result instanceof Iterator<?> iterator) {
      return new ItemSource(iterator, closer(iterator), null);
    }
    if (result instanceof Iterable<?> iterable) {
      Iterator<?> iterator = iterable.iterator();
      return new ItemSource(iterator, closer(iterator), closer(iterable));
    }
    throw new IllegalArgumentException("not a Stream, Iterator or Iterable but a "
        + result.getClass().getName());
  }

  private static AutoCloseable closer(Object o) {
    return o instanceof AutoCloseable c ? c : null;
  }

  /**
   * Closes the source of {@code name}'s stream; a failure is logged, since the client has its
   * answer already.
   */
  void closeQuietly(String name) {
    try {
      close();
    } catch (Throwable e) {
      FailureLog.CALLS.log(Level.WARNING, "closing the stream of " + name + " failed", e);
    }
  }

  /** Closes the iterator, then its source, when they are closeable; the first failure is thrown. */
  void close() throws Exception {
    Exception failure = null;
    for (AutoCloseable c : new AutoCloseable[] {iteratorCloser, sourceCloser}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
