package io.ipc4j.server;

import java.time.Duration;

/**
 * How much of the server's memory, threads and file descriptors clients may hold: every queue and
 * every per-connection resource has a bound, set on {@link IpcServer.Builder} and on by default.
 *
 * @param maxQueuedCalls calls waiting for a call thread; more get RESOURCE_EXHAUSTED
 * @param maxQueuedBytes the request bytes those waiting calls hold; more get RESOURCE_EXHAUSTED
 * @param maxOnewayCallsPerConnection oneway calls waiting or running for one connection
 * @param maxOnewayCalls oneway calls waiting or running for all connections together
 * @param maxConnections open connections; a connection beyond is closed at once
 * @param maxConcurrentCallsPerConnection calls (HTTP/2 streams) open at once on one connection
 * @param maxConnectionIdle how long a connection without calls stays open
 * @param handshakeTimeout how long a new connection may take to start HTTP/2 (and TLS)
 * @param permitKeepAliveTime the shortest keep-alive ping interval a client may use
 * @param maxRstFrames stream resets a client may send within {@code rstWindowSeconds} before its
 *     connection is closed (HTTP/2 "rapid reset")
 * @param rstWindowSeconds the window of {@code maxRstFrames}
 * @param streamStallTimeout how long a stream may wait for its reader before it is ended
 * @param maxHealthWatchesPerConnection health {@code Watch} calls open on one connection
 * @param maxHealthWatches health {@code Watch} calls open on all connections together
 * @param maxReferences references one session carries, both ways
 */
record ServerLimits(
    int maxQueuedCalls,
    long maxQueuedBytes,
    int maxOnewayCallsPerConnection,
    int maxOnewayCalls,
    int maxConnections,
    int maxConcurrentCallsPerConnection,
    Duration maxConnectionIdle,
    Duration handshakeTimeout,
    Duration permitKeepAliveTime,
    int maxRstFrames,
    int rstWindowSeconds,
    Duration streamStallTimeout,
    int maxHealthWatchesPerConnection,
    int maxHealthWatches,
    int maxReferences) {

  static final int DEFAULT_MAX_QUEUED_CALLS = 256;
  static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
  static final int DEFAULT_MAX_ONEWAY_CALLS_PER_CONNECTION = 100;
  static final int DEFAULT_MAX_ONEWAY_CALLS = 1000;
  static final int DEFAULT_MAX_CONNECTIONS = 1000;
  static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 1000;
  static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ofMinutes(5);
  static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);
  static final Duration DEFAULT_PERMIT_KEEP_ALIVE_TIME = Duration.ofMinutes(1);
  static final int DEFAULT_MAX_RST_FRAMES = 200;
  static final int DEFAULT_RST_WINDOW_SECONDS = 1;
  static final Duration DEFAULT_STREAM_STALL_TIMEOUT = Duration.ofMinutes(1);
  static final int DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION = 100;
  static final int DEFAULT_MAX_HEALTH_WATCHES = 1000;
  static final int DEFAULT_MAX_REFERENCES = 1000;

  /** The longest service name a health request may carry. */
  static final int MAX_HEALTH_SERVICE_NAME = 1024;

  /** Every limit at its default. */
  static ServerLimits defaults() {
    return new ServerLimits(DEFAULT_MAX_QUEUED_CALLS, DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_MAX_ONEWAY_CALLS_PER_CONNECTION, DEFAULT_MAX_ONEWAY_CALLS,
        DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
        DEFAULT_MAX_CONNECTION_IDLE, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_PERMIT_KEEP_ALIVE_TIME,
        DEFAULT_MAX_RST_FRAMES, DEFAULT_RST_WINDOW_SECONDS, DEFAULT_STREAM_STALL_TIMEOUT,
        DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION, DEFAULT_MAX_HEALTH_WATCHES,
        DEFAULT_MAX_REFERENCES);
  }

  /** {@code value}, when positive; else an error naming the option. */
  static int positive(String option, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be positive, was " + value);
    }
    return value;
  }

  /** {@code value}, when positive; else an error naming the option. */
  static long positive(String option, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be positive, was " + value);
    }
    return value;
  }

  /** {@code value}, when not null and positive; else an error naming the option. */
  static Duration positive(String option, Duration value) {
    if (value == null) {
      throw new NullPointerException(option + " == null");
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, was " + value);
    }
    return value;
  }
}
