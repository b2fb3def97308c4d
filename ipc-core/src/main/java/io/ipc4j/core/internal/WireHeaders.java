package io.ipc4j.core.internal;

import io.grpc.Metadata;

/**
 * The request headers and metadata bounds of the ipc4j wire protocol, named once for server,
 * client and tools.
 */
public final class WireHeaders {
  private WireHeaders() {}

  /** Carries {@code Bearer <token>} when the server requires a token. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The scheme of the token in {@link #AUTHORIZATION}, with its separating space. */
  public static final String BEARER = "Bearer ";

  /** The name of the header by which a client says that nobody waits for the call's result. */
  public static final String ONEWAY_NAME = "ipc-oneway";

  /** {@value #ONEWAY_NAME}: {@code 1} when nobody waits for the call's result. */
  public static final Metadata.Key<String> ONEWAY =
      Metadata.Key.of(ONEWAY_NAME, Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Opening a session: the largest answer the client reads, in bytes. The server answers a call
   * whose answer is larger with an error of its own, rather than ending the session with it.
   */
  public static final Metadata.Key<String> MAX_ANSWER_BYTES =
      Metadata.Key.of("ipc-max-answer-bytes", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * A session's response headers: the largest call message the server reads on it, in bytes; a
   * client may send requests up to that size on the session rather than with {@code Invoke}.
   */
  public static final Metadata.Key<String> MAX_REQUEST_BYTES =
      Metadata.Key.of("ipc-max-request-bytes", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Ending a session: {@code 1} when the server answered every call it read, so that a call
   * without an answer never reached a method and may be sent again.
   */
  public static final Metadata.Key<String> SESSION_DRAINED =
      Metadata.Key.of("ipc-session-drained", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The most metadata (headers or trailers) a Netty client accepts by default, 8 KiB: the server
   * bounds its error details to fit, and in-process channels use the same bound, so that tests see
   * what a real network does.
   */
  public static final int MAX_METADATA_SIZE = 8 * 1024;
}
