package io.ipc4j.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.ipc4j.core.internal.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a call through only with {@code authorization: Bearer <token>}, compared in constant time.
 */
final class TokenCheck implements ServerInterceptor {
  private static final Logger logger = Logger.getLogger(TokenCheck.class.getName());

  private static final String SCHEME = WireHeaders.BEARER;

  private final byte[] expected;

  TokenCheck(String token) {
    this.expected = digest(token);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String given = headers.get(WireHeaders.AUTHORIZATION);
    if (given == null) {
      return refuse(call, "this server needs a token: send 'authorization: Bearer <token>'");
    }
    // The scheme is case-insensitive (RFC 7235). Digests first, so that neither the content nor
    // the length of the token leaks through timing.
    boolean bearer = given.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    byte[] presented = digest(bearer ? given.substring(SCHEME.length()) : given);
    if (!MessageDigest.isEqual(expected, presented) || !bearer) {
      return refuse(call, "wrong token");
    }
    return next.startCall(call, headers);
  }

  /** Ends {@code call} as UNAUTHENTICATED; logged at FINE, as a client's mistake. */
  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
    if (logger.isLoggable(Level.FINE)) {
      logger.fine("refused " + call.getMethodDescriptor().getFullMethodName() + " from "
          + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) + ": " + why);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
