package io.ipc4j.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A bound on something each connection holds (oneway calls, health watches), both per connection
 * and for all connections together, so that neither one client nor many can hold more.
 */
final class ConnectionBudget {
  private final String what;
  private final String option;
  private final int perConnection;
  private final int total;
  private final Function<Connection, AtomicInteger> counter;
  private final AtomicInteger held = new AtomicInteger();

  /**
   * @param what what is counted, as messages name it ("oneway calls")
   * @param option the builder option that sets the bounds, as messages name it
   * @param counter where a connection counts its share
   */
  ConnectionBudget(String what, String option, int perConnection, int total,
      Function<Connection, AtomicInteger> counter) {
    this.what = what;
    this.option = option;
    this.perConnection = perConnection;
    this.total = total;
    this.counter = counter;
  }

  /**
   * Takes one for {@code connection}; answers null when it could, else why not (a message for
   * the client). Each taken one must be {@link #release}d once.
   */
  String acquire(Connection connection) {
    AtomicInteger mine = counter.apply(connection);
    if (mine.incrementAndGet() > perConnection) {
      mine.decrementAndGet();
      return "too many " + what + " on this connection: " + perConnection + " (" + option
          + " per connection); try again later";
    }
    if (held.incrementAndGet() > total) {
      held.decrementAndGet();
      mine.decrementAndGet();
      return "too many " + what + " on this server: " + total + " (" + option
          + " in total); try again later";
    }
    return null;
  }

  /** Gives back one taken by {@link #acquire}. */
  void release(Connection connection) {
    counter.apply(connection).decrementAndGet();
    held.decrementAndGet();
  }

  /** How many are held on all connections. */
  int held() {
    return held.get();
  }
}
