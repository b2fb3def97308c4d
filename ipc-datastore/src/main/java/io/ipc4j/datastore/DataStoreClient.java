package io.ipc4j.datastore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.core.Limits;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.RemoteReference;
import io.ipc4j.core.internal.Mappers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client of a remote {@link DataStore} (the role of {@code IPCClientX} in Kodi's {@code
 * script.module.ipc}): a typed proxy with a local cache, retries while the server is unavailable,
 * and typed errors.
 *
 * <pre>{@code
 * try (DataStoreClient store = DataStoreClient.builder().port(9099).build()) {
 *   store.set("greeting", "hello", "me", true);
 *   String greeting = (String) store.getOrDefault("greeting", "me", "hi");
 * }
 * }</pre>
 *
 * <p><b>Cache.</b> Every value this client sets or gets is remembered with its timestamp. While
 * the server answers, it is the truth: {@link #get} asks it, and keeps whichever of the server's
 * and the cached entry is newer. When the server stays unavailable after the retries, {@link
 * #get} answers from the cache, so a program keeps its last known values through a restart of
 * the server. Deleting, clearing and restoring through this client drop the affected cached
 * values; changes made by other clients are seen on the next successful {@code get}, or at once
 * for the entries this client {@linkplain #watch watches}.
 *
 * <p><b>Retries.</b> A call that fails because the server is unavailable is tried again after a
 * delay that doubles from {@link Builder#backoff initial} to {@link Builder#backoff max}, up to
 * {@link Builder#maxAttempts} attempts in all (by default 4 attempts, 100 ms to 1 s apart).
 *
 * <p><b>Errors</b> are {@link DataStoreException}s: {@link NoSuchKeyException}, {@link
 * DataStoreUnavailableException}, {@link ValueNotSerializableException} and {@link
 * DataStoreRemoteException}; {@link #getOrDefault} turns the first two into a default value.
 *
 * <p><b>Watches.</b> {@link #watch} hears the server's changes as they happen, whoever makes them:
 *
 * <pre>{@code
 * Watch watch = store.watch("volume", "player", change -> show(change.value()));
 * ...
 * watch.close();
 * }</pre>
 *
 * <p>Thread-safe. Closing it closes its watches and the {@link IpcClient} it built, never one it
 * was given.
 */
public final class DataStoreClient implements DataStore, AutoCloseable {
  private static final Logger logger = Logger.getLogger(DataStoreClient.class.getName());

  private final IpcClient client;
  private final boolean ownsClient;
  private final DataStore remote;
  private final int maxAttempts;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final ObjectMapper mapper = Mappers.json(Limits.defaults());
  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();
  private final Set<ClientWatch> watches = ConcurrentHashMap.newKeySet();

  private record Key(String author, String name) {}

  /** A client of the data store {@code kodi-IPC} on localhost:9099, with the default retries. */
  public DataStoreClient() {
    this(builder());
  }

  private DataStoreClient(Builder b) {
    this.ownsClient = b.client == null;
    this.client = b.client != null ? b.client : b.connection.build();
    this.remote = client.getExposedObject(DataStore.class);
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.sleeper = b.sleeper;
  }

  /** A builder for a client of another server, or with other retries. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Stores {@code value} on the server and remembers it.
   *
   * @return the entry's timestamp on the server
   * @throws ValueNotSerializableException when {@code value} cannot be written as JSON
   */
  @Override
  public long set(String name, Object value, String author, boolean persist) {
    Object json = toJson(name, author, value);
    long ts = call("set", name, author, () -> remote.set(name, json, author, persist));
    remember(new Key(author, name), new Entry(json, ts));
    return ts;
  }

  /**
   * The entry under {@code name} for {@code author}: the server's, or the cached one when that is
   * newer; the cached one when the server stays unavailable.
   *
   * @throws NoSuchKeyException when the server has no such entry
   * @throws DataStoreUnavailableException when the server stays unavailable and nothing is cached
   */
  @Override
  public Entry get(String name, String author) {
    Key key = new Key(author, name);
    try {
      return remember(key, call("get", name, author, () -> remote.get(name, author)));
    } catch (NoSuchKeyException e) {
      cache.remove(key);
      throw e;
    } catch (DataStoreUnavailableException e) {
      Entry cached = cache.get(key);
      if (cached == null) {
        throw e;
      }
      return cached;
    }
  }

  /**
   * The value under {@code name} for {@code author} as {@link #get} finds it, or {@code
   * defaultValue} when there is none or the server is unavailable and nothing is cached. Other
   * failures are still thrown.
   */
  public Object getOrDefault(String name, String author, Object defaultValue) {
    try {
      return get(name, author).value();
    } catch (NoSuchKeyException | DataStoreUnavailableException e) {
      return defaultValue;
    }
  }

  /** The entry this client last saw for {@code name} and {@code author}; asks no server. */
  public Optional<Entry> cached(String name, String author) {
    return Optional.ofNullable(cache.get(new Key(author, name)));
  }

  /** Forgets every cached value; the server keeps them. */
  public void clearLocalCache() {
    cache.clear();
  }

  /** Whether the server answers its health check now (waits about a second at most). */
  public boolean serverAvailable() {
    return client.serverAvailable();
  }

  @Override
  public boolean delete(String name, String author) {
    boolean deleted = call("delete", name, author, () -> remote.delete(name, author));
    cache.remove(new Key(author, name));
    return deleted;
  }

  @Override
  public Map<String, List<String>> getDataList(String author) {
    return call("getDataList", null, author, () -> remote.getDataList(author));
  }

  /** Removes every entry on the server and every cached value. */
  @Override
  public void clearAll() {
    run("clearAll", null, null, remote::clearAll);
    cache.clear();
  }

  /**
   * Removes the server's non-persistent entries of {@code requestor} (of everyone when null) and
   * forgets all cached values of {@code requestor}.
   */
  @Override
  public int clearCache(String requestor) {
    int removed = call("clearCache", null, requestor, () -> remote.clearCache(requestor));
    forgetAuthor(requestor);
    return removed;
  }

  @Override
  public int saveData(String author, String file) {
    return call("saveData", file, author, () -> remote.saveData(author, file));
  }

  /** Restores entries on the server and forgets the cached values of {@code author}. */
  @Override
  public int restoreData(String author, String file) {
    int restored = call("restoreData", file, author, () -> remote.restoreData(author, file));
    forgetAuthor(author);
    return restored;
  }

  /**
   * Calls {@code listener} whenever the server's entry under {@code name} for {@code author}
   * changes, whoever changes it (every name of {@code author} when {@code name} is null, of every
   * author when {@code author} is null). Each change also updates this client's cache: a value
   * set replaces an older cached one, a removal drops it. The listener stays in this program:
   * the server calls it back over this client's connection, one change at a time, in order, on
   * one of the client's callback threads. A listener that throws is dropped, its watch closed.
   *
   * <p>The watch ends when it is closed, when this client closes, or when the connection or the
   * server goes away; {@code ((RemoteReference) watch).ended()} completes then, with why.
   *
   * @return the watch; closing it stops the notifications
   * @throws DataStoreUnavailableException when the server stays unavailable
   * @throws DataStoreRemoteException when the server refuses the watch (a bad name or author, too
   *     many watches)
   */
  @Override
  public Watch watch(String name, String author, ChangeListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    ClientWatch watch = new ClientWatch(name, author, listener);
    ChangeListener relay = watch::changed; // only a ChangeListener travels, never the watch
    watches.add(watch);
    try {
      watch.attach(call("watch", name, author, () -> remote.watch(name, author, relay)));
    } catch (RuntimeException e) {
      watch.close();
      throw e;
    }
    return watch;
  }

  @Override
  public void addPersistence(String name, String author) {
    run("addPersistence", name, author, () -> remote.addPersistence(name, author));
  }

  @Override
  public void removePersistence(String name, String author) {
    run("removePersistence", name, author, () -> remote.removePersistence(name, author));
  }

  @Override
  public void setAutosave(boolean on) {
    run("setAutosave", null, null, () -> remote.setAutosave(on));
  }

  /** Closes this client's watches, and the connection if this client opened it. Idempotent. */
  @Override
  public void close() {
    List.copyOf(watches).forEach(ClientWatch::close);
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "DataStoreClient{" + client.name() + " at " + client.target() + "}";
  }

  private Entry remember(Key key, Entry entry) {
    return cache.merge(key, entry, (old, fresh) -> fresh.ts() >= old.ts() ? fresh : old);
  }

  private void forgetAuthor(String author) {
    if (author == null) {
      cache.clear();
    } else {
      cache.keySet().removeIf(k -> k.author().equals(author));
    }
  }

  /** Updates the cache with a change the server told. */
  private void heard(Change change) {
    Key key = new Key(change.author(), change.name());
    if (change.deleted()) {
      cache.computeIfPresent(key, (k, old) -> old.ts() <= change.ts() ? null : old);
    } else {
      remember(key, new Entry(change.value(), change.ts()));
    }
  }

  private Object toJson(String name, String author, Object value) {
    try {
      return mapper.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw new ValueNotSerializableException("value of '" + name + "' for author '" + author
          + "' cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private void run(String method, String name, String author, Runnable op) {
    call(method, name, author, () -> {
      op.run();
      return null;
    });
  }

  /** Calls {@code op}, retrying while the server is unavailable, and types its failures. */
  private <T> T call(String method, String name, String author, Supplier<T> op) {
    Duration delay = initialDelay;
    for (int attempt = 1; ; attempt++) {
      try {
        return op.get();
      } catch (IpcUnavailableException e) {
        if (attempt >= maxAttempts) {
          throw new DataStoreUnavailableException(client.name() + " at " + client.target()
              + " is unavailable (" + method + ", " + attempt + " attempt"
              + (attempt == 1 ? "" : "s") + "): " + e.getMessage(), e);
        }
        pause(method, delay, e);
        delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
      } catch (IpcException e) {
        throw typed(method, name, author, e);
      }
    }
  }

  private void pause(String method, Duration delay, IpcException failure) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      DataStoreUnavailableException e = new DataStoreUnavailableException(
          "interrupted while waiting to retry " + method + " on " + client.name() + " at "
              + client.target(), failure);
      e.addSuppressed(ie);
      throw e;
    }
  }

  private DataStoreException typed(String method, String name, String author, IpcException e) {
    if (e instanceof IpcRemoteException r
        && NoSuchKeyException.class.getName().equals(r.getRemoteClassName())) {
      return new NoSuchKeyException(name, author, e);
    }
    if (e instanceof IpcDeadlineExceededException) {
      return new DataStoreUnavailableException(client.name() + " at " + client.target()
          + " did not answer in time (" + method + "): " + e.getMessage(), e);
    }
    if ((e instanceof IpcBadArgumentsException && e.getReason() == null)
        || e.getReason() == ErrorReason.RESULT_NOT_SERIALIZABLE) {
      return new ValueNotSerializableException(method + " of '" + name + "' for author '"
          + author + "': " + e.getMessage(), e);
    }
    return new DataStoreRemoteException(method + " failed: " + e.getMessage(), e);
  }

  /**
   * A watch as this client's caller sees it: the server's watch, a gate that stops the changes
   * arriving after {@link #close}, and the cache updated by each change.
   */
  private final class ClientWatch implements Watch, RemoteReference {
    private final String name;
    private final String author;
    private final ChangeListener listener;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile Watch remoteWatch;
    private volatile boolean closed;

    ClientWatch(String name, String author, ChangeListener listener) {
      this.name = name;
      this.author = author;
      this.listener = listener;
    }

    void attach(Watch remoteWatch) {
      this.remoteWatch = remoteWatch;
      if (remoteWatch instanceof RemoteReference reference) {
        reference.ended().whenComplete((why, e) -> end(why != null ? why : String.valueOf(e)));
      }
      if (closed) { // closed by a listener that threw before the server answered
        release(remoteWatch);
      }
    }

    /** A change from the server: updates the cache, then tells the listener unless closed. */
    void changed(Change change) {
      if (closed) {
        return;
      }
      heard(change);
      try {
        listener.changed(change);
      } catch (RuntimeException e) {
        if (!closed) {
          logger.log(Level.WARNING, this + " dropped: its listener threw " + e, e);
          close();
        }
      }
    }

    private void end(String why) {
      closed = true;
      watches.remove(this);
      ended.complete(why);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      watches.remove(this);
      Watch r = remoteWatch;
      if (r != null) {
        release(r);
      }
      ended.complete(this + " was closed");
    }

    private void release(Watch r) {
      if (r instanceof RemoteReference reference) {
        reference.release();
      } else {
        try {
          r.close();
        } catch (IpcException e) {
          logger.log(Level.FINE, "closing " + this + " on the server failed", e);
        }
      }
    }

    @Override
    public void release() {
      close();
    }

    @Override
    public CompletionStage<String> ended() {
      return ended.minimalCompletionStage();
    }

    @Override
    public String toString() {
      return "watch of " + (name == null ? "every name" : "'" + name + "'") + " of "
          + (author == null ? "every author" : "author '" + author + "'") + " on "
          + client.name() + " at " + client.target();
    }
  }

  /**
   * Builds a {@link DataStoreClient}: either its own connection (name, host, port and so on, as
   * {@link IpcClient.Builder} has them) or a given {@link IpcClient}, and the retries.
   */
  public static final class Builder {
    private final IpcClient.Builder connection = IpcClient.builder();
    private boolean connectionSet;
    private IpcClient client;
    private int maxAttempts = 4;
    private Duration initialDelay = Duration.ofMillis(100);
    private Duration maxDelay = Duration.ofSeconds(1);
    private Sleeper sleeper = Sleeper.REAL;

    private Builder() {}

    /** The name the server exposes the store under; default {@code kodi-IPC}. */
    public Builder name(String name) {
      connection.name(name);
      connectionSet = true;
      return this;
    }

    /** The server's host; default {@code localhost}. */
    public Builder host(String host) {
      connection.host(host);
      connectionSet = true;
      return this;
    }

    /** The server's port; default 9099. */
    public Builder port(int port) {
      connection.port(port);
      connectionSet = true;
      return this;
    }

    /** Any gRPC target instead of host and port, such as {@code dns:///svc:9099}. */
    public Builder target(String target) {
      connection.target(target);
      connectionSet = true;
      return this;
    }

    /** Connects to an in-process server of this name (for tests). */
    public Builder inProcess(String name) {
      connection.inProcess(name);
      connectionSet = true;
      return this;
    }

    /** Reads name, host, port, serializer and token from a settings file; see IpcClient. */
    public Builder settings(Path file) {
      connection.settings(file);
      connectionSet = true;
      return this;
    }

    /** Sends {@code authorization: Bearer <token>} with every call. */
    public Builder token(String token) {
      connection.token(token);
      connectionSet = true;
      return this;
    }

    /** How long one attempt may take; default 30 s. A slow server counts as unavailable. */
    public Builder deadline(Duration deadline) {
      connection.deadline(deadline);
      connectionSet = true;
      return this;
    }

    /**
     * Uses {@code client} (for TLS, interceptors or a shared channel) instead of a connection of
     * its own; {@link DataStoreClient#close()} leaves it open.
     */
    public Builder client(IpcClient client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** How many times a call is tried in all while the server is unavailable; default 4. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The delay before the first retry, doubled before each next one up to {@code max}; default
     * 100 ms and 1 s.
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial == null");
      Objects.requireNonNull(max, "max == null");
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + max + " is shorter than initial backoff " + initial);
      }
      this.initialDelay = initial;
      this.maxDelay = max;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    /**
     * Builds the client; it connects lazily, so this succeeds with no server running.
     *
     * @throws IllegalStateException when both {@link #client} and connection settings are given
     */
    public DataStoreClient build() {
      if (client != null && connectionSet) {
        throw new IllegalStateException(
            "client(...) and connection settings exclude each other; configure the IpcClient");
      }
      return new DataStoreClient(this);
    }
  }
}
