package io.ipc4j.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the next calls of an {@link IpcExtension}'s clients fail or slow down, so that a test can
 * check its own error handling without a real outage. Get it from {@link IpcExtension#faults()};
 * it is cleared after every test.
 *
 * <pre>{@code
 * ipc.faults().next(2).unavailable();                  // IpcUnavailableException, twice
 * ipc.faults().next().deadlineExceeded();              // IpcDeadlineExceededException
 * ipc.faults().next().delay(Duration.ofMillis(300));   // slow, then answered as usual
 * ipc.faults().next().forMethod("divide")
 *     .throwing(new ArithmeticException("/ by zero")); // as if divide had thrown it
 * }</pre>
 *
 * <p>Each call takes the first rule, in the order they were added, that matches it and still has
 * calls left; so {@code next().unavailable().next().deadlineExceeded()} fails the next call as
 * unavailable and the one after it with a deadline. Faults apply to the calls of the extension's
 * own clients ({@link IpcExtension#client()}, {@link IpcExtension#newClient()} and their
 * proxies): their calls, whether sent with {@code Invoke} or as messages on a session, and {@code
 * Describe}; not health checks. A call gives the same exception either way. Thread-safe.
 */
public final class IpcFaults {
  private static final int ALWAYS = -1;

  private final Object lock = new Object();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, Dispatched> dispatched = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private int injected;

  IpcFaults() {}

  /** The next call (that matches the filters set on the answer). Same as {@code next(1)}. */
  public Calls next() {
    return next(1);
  }

  /**
   * The next {@code calls} calls (that match the filters set on the answer).
   *
   * @throws IllegalArgumentException when {@code calls} is not positive
   */
  public Calls next(int calls) {
    if (calls <= 0) {
      throw new IllegalArgumentException("calls must be positive, was " + calls);
    }
    return new Calls(calls, null, null);
  }

  /**
   * Every call (that matches the filters set on the answer) until {@link #clear()} or the end of
   * the test.
   */
  public Calls always() {
    return new Calls(ALWAYS, null, null);
  }

  /** Removes every rule, so that calls run normally again. */
  public IpcFaults clear() {
    synchronized (lock) {
      rules.clear();
      injected = 0;
    }
    dispatched.clear();
    return this;
  }

  /** How many calls a fault was injected into since the test began (or {@link #clear()}). */
  public int injected() {
    synchronized (lock) {
      return injected;
    }
  }

  /**
   * Takes the fault for a call to {@code object.method} ({@code method} is null for a {@code
   * Describe}), or null when no rule matches.
   */
  Fault take(String object, String method) {
    synchronized (lock) {
      for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
        Rule rule = it.next();
        if (rule.matches(object, method)) {
          if (rule.remaining != ALWAYS && --rule.remaining == 0) {
            it.remove();
          }
          injected++;
          return rule.fault;
        }
      }
      return null;
    }
  }

  /** Hands a server-side fault over to the server; answers the id the request carries. */
  String dispatch(Fault fault, String object, String method) {
    String id = Long.toString(ids.incrementAndGet());
    dispatched.put(id, new Dispatched(fault, object, method));
    return id;
  }

  /** The fault dispatched as {@code id}, once; null when unknown. */
  Dispatched claim(String id) {
    return dispatched.remove(id);
  }

  private IpcFaults add(Rule rule) {
    synchronized (lock) {
      rules.add(rule);
    }
    return this;
  }

  /** A fault on its way to the server, with the call it is for. */
  record Dispatched(Fault fault, String object, String method) {}

  private static final class Rule {
    final String object;
    final String method;
    final Fault fault;
    int remaining;

    Rule(int remaining, String object, String method, Fault fault) {
      this.remaining = remaining;
      this.object = object;
      this.method = method;
      this.fault = fault;
    }

    boolean matches(String object, String method) {
      return (this.object == null || this.object.equals(object))
          && (this.method == null || this.method.equals(method));
    }
  }

  /**
   * Which calls a fault applies to: narrow them with {@link #forMethod(String)} and {@link
   * #forObject(String)}, then pick the fault. Each fault method adds a rule and returns the
   * {@link IpcFaults}, so that rules can be chained. Immutable.
   */
  public final class Calls {
    private final int count;
    private final String object;
    private final String method;

    private Calls(int count, String object, String method) {
      this.count = count;
      this.object = object;
      this.method = method;
    }

    /** Only calls of the method named {@code method} (any overload); not {@code Describe}. */
    public Calls forMethod(String method) {
      return new Calls(count, object, requireName(method, "method"));
    }

    /** Only calls to the object exposed as {@code object}. */
    public Calls forObject(String object) {
      return new Calls(count, requireName(object, "object"), method);
    }

    /**
     * The calls fail with UNAVAILABLE, as when the server is down or stopping: the caller gets an
     * {@code IpcUnavailableException}. The remote method does not run.
     */
    public IpcFaults unavailable() {
      return add(Fault.of(Fault.Kind.UNAVAILABLE));
    }

    /**
     * The calls fail at once with DEADLINE_EXCEEDED, as when they time out: the caller gets an
     * {@code IpcDeadlineExceededException}. The remote method does not run. To let a call really
     * run into its deadline, {@link #delay(Duration) delay} it for longer than the deadline.
     */
    public IpcFaults deadlineExceeded() {
      return add(Fault.of(Fault.Kind.DEADLINE_EXCEEDED));
    }

    /**
     * The calls are held back on the client for {@code delay}, then sent and answered as usual, as
     * over a slow network. No thread waits meanwhile. A call whose deadline comes first fails
     * with an {@code IpcDeadlineExceededException} at its deadline, and never reaches the server.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    public IpcFaults delay(Duration delay) {
      Objects.requireNonNull(delay, "delay == null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
      return add(new Fault(Fault.Kind.DELAY, delay, null));
    }

    /**
     * The calls fail as if the remote method had thrown {@code thrown}: the server sends it with
     * its traceback, and the caller gets an {@code IpcRemoteException} naming its class and
     * message, or, from a proxy whose method declares that exception class, the exception itself
     * rebuilt. The remote method does not run.
     */
    public IpcFaults throwing(Throwable thrown) {
      Objects.requireNonNull(thrown, "thrown == null");
      return add(new Fault(Fault.Kind.THROWING, null, thrown));
    }

    private IpcFaults add(Fault fault) {
      return IpcFaults.this.add(new Rule(count, object, method, fault));
    }
  }

  private static String requireName(String value, String what) {
    Objects.requireNonNull(value, what + " == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
