package io.ipc4j.core;

/**
 * Hears of each call a server runs or a client makes, by object and method, whatever carries it
 * ({@code Invoke}, a session, {@code InvokeStream}, a oneway call): what metrics and traces need,
 * since every ipc4j call is the same gRPC method and stock gRPC instrumentation sees them as one.
 * Give one to {@code IpcServer.Builder.observe} or {@code IpcClient.Builder.observe};
 * {@code ipc-opentelemetry} provides one.
 *
 * <p>Called on the calls' own threads: an observer must be thread-safe and quick, and must not
 * throw (what it throws is logged and ignored).
 */
@FunctionalInterface
public interface CallObserver {
  /**
   * A call starts: on a client, on the calling thread before its request is sent; on a server,
   * once its object and method are known, before it waits for a thread.
   *
   * @return what hears how the call ends; never null
   */
  Observation start(Call call);

  /** Which end of a call is observed. */
  enum Side {
    /** The client that makes the call. */
    CLIENT,
    /** The server that runs it. */
    SERVER
  }

  /** A call about to be sent (client) or run (server). */
  interface Call {
    /** Which end sees the call. */
    Side side();

    /**
     * The object's name. On a server, the exposed name, or {@value #UNKNOWN} for a name the
     * server does not expose, so that names a client makes up cannot multiply what is counted.
     */
    String object();

    /** The method's name; on a server {@value #UNKNOWN} unless the object has such a method. */
    String method();

    /** Whether nobody waits for the call's result. */
    boolean oneway();

    /** The gRPC method that carries the call: {@code Invoke}, {@code InvokeStream} or {@code Session}. */
    String rpc();

    /** The size of the request in bytes, as it travels. */
    long requestBytes();

    /**
     * On a server, the metadata entry named {@code key} that the client sent with this call (such
     * as W3C {@code traceparent}), or null; always null on a client.
     */
    String metadata(String key);

    /**
     * On a client, adds an entry to send with this call, which the server reads with {@link
     * #metadata}: lower-case ASCII names and printable ASCII values. Ignored on a server.
     */
    void putMetadata(String key, String value);

    /** What {@link #object()} and {@link #method()} say for a name the server does not expose. */
    String UNKNOWN = "unknown";
  }

  /** One call being observed. */
  interface Observation {
    /**
     * Makes this observation current on this thread until the returned scope closes: a server
     * enters it while the method runs, so that what the method calls belongs to the call's trace.
     */
    Scope enter();

    /**
     * The call ended.
     *
     * @param status the gRPC status code's name: {@code OK}, or how the call failed, as its caller
     *     sees it ({@code NOT_FOUND}, {@code CANCELLED}, {@code DEADLINE_EXCEEDED}, …)
     * @param reason ipc4j's reason for a failure, null when there is none
     * @param failure what the method threw (server), or the exception the caller gets (client);
     *     null when none
     * @param responseBytes the size of the answer in bytes, 0 when there is none
     */
    void end(String status, ErrorReason reason, Throwable failure, long responseBytes);
  }

  /** What {@link Observation#enter()} opened; closing it restores what was current before. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
