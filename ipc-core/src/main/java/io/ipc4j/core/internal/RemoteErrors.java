package io.ipc4j.core.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.RemoteError;
import io.ipc4j.proto.v1.StackFrame;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds and reads the error details of a failed call: {@code google.rpc.ErrorInfo}, {@code
 * google.rpc.DebugInfo} and {@code ipc.v1.RemoteError}, bounded so that they always fit the 8 KiB
 * of trailers a Netty client accepts.
 */
public final class RemoteErrors {
  /**
   * The most a status may take in the trailers: its details base64-encoded plus its
   * percent-encoded message. The rest of the 8 KiB is left for the other trailers.
   */
  static final int MAX_TRAILER_BYTES = 6 * 1024;
  /** The longest status message (grpc-message, percent-encoded in the trailer). */
  static final int MAX_MESSAGE_CHARS = 256;
  /** The longest metadata key or value (names come from the request and may be hostile). */
  static final int MAX_METADATA_CHARS = 128;
  /** The longest exception class name; real ones are far shorter. */
  static final int MAX_CLASS_NAME_CHARS = 256;

  /**
   * Ever smaller descriptions of an exception, tried in turn until one fits: frames kept per
   * exception, characters kept per message, causes and suppressed exceptions kept in all.
   */
  private static final int[][] TRACEBACK_BUDGETS = {
    {64, 1024, 8}, {32, 1024, 8}, {24, 512, 6}, {16, 512, 4}, {12, 256, 4}, {8, 256, 3},
    {6, 128, 2}, {4, 128, 2}, {3, 64, 1}, {2, 64, 1}, {1, 64, 0}, {0, 64, 0}
  };

  private RemoteErrors() {}

  /**
   * The status for {@code reason}. {@code thrown}, when not null, is described with its traceback;
   * when {@code withTraceback} is false, only by its class name (its message may carry a path or a
   * secret, so none of its text is sent). However large the
   * exception, its stack or its chain of causes, the status fits the trailers: frames, messages
   * and causes are cut and counted as omitted.
   */
  public static Status status(
      ErrorReason reason,
      String message,
      Map<String, String> metadata,
      Throwable thrown,
      boolean withTraceback) {
    return status(reason, message, metadata, thrown, withTraceback, 0);
  }

  /**
   * Same as {@link #status(ErrorReason, String, Map, Throwable, boolean)}, leaving out the bottom
   * {@code framesToDrop} frames of {@code thrown}'s own stack (those below the user's code, such as
   * the reflection and dispatch frames that called the method). They are counted as omitted, so
   * the traceback still ends in "... N more"; the stacks of causes are not changed.
   */
  public static Status status(
      ErrorReason reason,
      String message,
      Map<String, String> metadata,
      Throwable thrown,
      boolean withTraceback,
      int framesToDrop) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder()
        .setReason(reason.name())
        .setDomain(ErrorReason.DOMAIN);
    metadata.forEach((k, v) -> info.putMetadata(
        truncate(k, MAX_METADATA_CHARS), truncate(v, MAX_METADATA_CHARS)));
    Status plain = Status.newBuilder()
        .setCode(reason.code().value())
        .setMessage(truncate(message, MAX_MESSAGE_CHARS))
        .addDetails(Any.pack(info.build()))
        .build();
    if (thrown == null) {
      return plain;
    }
    if (!withTraceback) {
      RemoteError error = RemoteError.newBuilder()
          .setClassName(truncate(thrown.getClass().getName(), MAX_CLASS_NAME_CHARS))
          .build();
      return plain.toBuilder().addDetails(Any.pack(error)).build();
    }
    for (int[] budget : TRACEBACK_BUDGETS) {
      RemoteError error = new Describer(budget[0], budget[1], budget[2])
          .describe(thrown, null, Math.max(0, framesToDrop));
      DebugInfo debug = DebugInfo.newBuilder()
          .addAllStackEntries(error.getFramesList().stream().map(RemoteErrors::frame).toList())
          .setDetail(traceback(error))
          .build();
      Status status = plain.toBuilder().addDetails(Any.pack(debug)).addDetails(Any.pack(error))
          .build();
      if (trailerBytes(status) <= MAX_TRAILER_BYTES) {
        return status;
      }
    }
    return plain;
  }

  /**
   * What {@code status} takes in the trailers: grpc-status-details-bin (base64) and grpc-message
   * (percent-encoded UTF-8, as grpc-java escapes it).
   */
  private static int trailerBytes(Status status) {
    int details = (status.getSerializedSize() + 2) / 3 * 4;
    int message = 0;
    for (byte b : status.getMessage().getBytes(StandardCharsets.UTF_8)) {
      message += b < ' ' || b >= '~' || b == '%' ? 3 : 1;
    }
    return details + message;
  }

  /** The ErrorInfo of {@code status}, or null when it has none of ipc4j's. */
  public static ErrorInfo errorInfo(Status status) {
    return unpack(status, ErrorInfo.class);
  }

  /** The RemoteError of {@code status}, or null when it has none. */
  public static RemoteError remoteError(Status status) {
    return unpack(status, RemoteError.class);
  }

  /** The traceback text of {@code status}'s DebugInfo, or null when it has none. */
  public static String debugDetail(Status status) {
    DebugInfo debug = unpack(status, DebugInfo.class);
    return debug == null || debug.getDetail().isEmpty() ? null : debug.getDetail();
  }

  /** The traceback of {@code error} in the form of {@link Throwable#printStackTrace()}. */
  public static String traceback(RemoteError error) {
    StringBuilder out = new StringBuilder();
    append(out, error, "", "");
    return out.toString();
  }

  /** One frame as a stack trace prints it: {@code a.B.c(B.java:12)}. */
  public static String frame(StackFrame f) {
    return new StackTraceElement(
            f.getClassName(), f.getMethodName(),
            f.getFileName().isEmpty() ? null : f.getFileName(), f.getLineNumber())
        .toString();
  }

  private static void append(StringBuilder out, RemoteError error, String prefix, String caption) {
    out.append(prefix).append(caption).append(error.getClassName());
    if (!error.getMessage().isEmpty()) {
      out.append(": ").append(error.getMessage());
    }
    out.append('\n');
    for (StackFrame f : error.getFramesList()) {
      out.append(prefix).append("\tat ").append(frame(f)).append('\n');
    }
    if (error.getOmittedFrames() > 0) {
      out.append(prefix).append("\t... ").append(error.getOmittedFrames()).append(" more\n");
    }
    for (RemoteError suppressed : error.getSuppressedList()) {
      append(out, suppressed, prefix + "\t", "Suppressed: ");
    }
    if (error.hasCause()) {
      append(out, error.getCause(), prefix, "Caused by: ");
    }
    if (error.getOmittedCauses() > 0) {
      out.append(prefix).append("\t... ").append(error.getOmittedCauses())
          .append(" more causes or suppressed exceptions\n");
    }
  }

  /** Describes one exception tree within one budget. */
  private static final class Describer {
    private final int frames;
    private final int text;
    /** Causes and suppressed exceptions that may still be described. */
    private int others;
    private final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    Describer(int frames, int text, int others) {
      this.frames = frames;
      this.text = text;
      this.others = others;
    }

    /**
     * {@code t} with at most {@code frames} of the frames it does not share with {@code
     * enclosing} (the stack of the exception it is the cause of or suppressed in), as {@link
     * Throwable#printStackTrace()} leaves those out. Causes come before suppressed exceptions.
     */
    RemoteError describe(Throwable t, StackTraceElement[] enclosing) {
      return describe(t, enclosing, 0);
    }

    /** {@link #describe(Throwable, StackTraceElement[])}, also leaving out the bottom frames. */
    RemoteError describe(Throwable t, StackTraceElement[] enclosing, int dropped) {
      seen.add(t);
      StackTraceElement[] stack = t.getStackTrace();
      int below = Math.min(stack.length, Math.max(dropped, inCommon(stack, enclosing)));
      int kept = Math.min(frames, stack.length - below);
      RemoteError.Builder error = RemoteError.newBuilder()
          .setClassName(truncate(t.getClass().getName(), MAX_CLASS_NAME_CHARS))
          .setMessage(truncate(Throwables.messageOf(t), text))
          .setOmittedFrames(stack.length - kept);
      for (int i = 0; i < kept; i++) {
        error.addFrames(frame(stack[i]));
      }
      int omitted = 0;
      Throwable cause = t.getCause();
      if (cause != null && !seen.contains(cause)) {
        if (others > 0) {
          others--;
          error.setCause(describe(cause, stack));
        } else {
          omitted += chainLength(cause);
        }
      }
      for (Throwable s : t.getSuppressed()) {
        if (seen.contains(s)) {
          continue;
        }
        if (others > 0) {
          others--;
          error.addSuppressed(describe(s, stack));
        } else {
          omitted++;
        }
      }
      return error.setOmittedCauses(omitted).build();
    }

    private StackFrame frame(StackTraceElement e) {
      StackFrame.Builder f = StackFrame.newBuilder()
          .setClassName(truncate(e.getClassName(), text))
          .setMethodName(truncate(e.getMethodName(), text))
          .setLineNumber(e.getLineNumber());
      if (e.getFileName() != null) {
        f.setFileName(truncate(e.getFileName(), text));
      }
      return f.build();
    }

    /** The causes from {@code t} on that were not described, counting each once. */
    private int chainLength(Throwable t) {
      Set<Throwable> counted = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Throwable c = t; c != null && !seen.contains(c) && counted.add(c); c = c.getCause()) {
        if (counted.size() == 10_000) {
          break;
        }
      }
      return counted.size();
    }

    /** How many frames at the bottom of {@code stack} {@code enclosing} has too. */
    private static int inCommon(StackTraceElement[] stack, StackTraceElement[] enclosing) {
      if (enclosing == null) {
        return 0;
      }
      int m = stack.length - 1;
      int n = enclosing.length - 1;
      while (m >= 0 && n >= 0 && stack[m].equals(enclosing[n])) {
        m--;
        n--;
      }
      return stack.length - 1 - m;
    }
  }

  private static <T extends com.google.protobuf.Message> T unpack(Status status, Class<T> type) {
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * {@code s} cut to {@code max} characters, ending in "…" when cut; never splits a surrogate
   * pair. Null becomes empty.
   */
  public static String truncate(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return s;
    }
    int end = Math.max(0, max - 1);
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }
}
