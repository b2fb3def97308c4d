package io.ipc4j.core.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.ipc4j.proto.v1.RemoteError;
import io.ipc4j.proto.v1.StackFrame;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds and reads the error details of a failed call: {@code google.rpc.ErrorInfo}, {@code
 * google.rpc.DebugInfo} and {@code ipc.v1.RemoteError}, bounded so that they always fit the 8 KiB
 * of trailers a Netty client accepts.
 */
public final class RemoteErrors {
  /** The most bytes the serialized status may take; base64 makes it 4/3 larger in the trailer. */
  static final int MAX_STATUS_BYTES = 4 * 1024 + 512;
  /** The longest status message (grpc-message, percent-encoded in the trailer). */
  static final int MAX_MESSAGE_CHARS = 256;
  /** The longest metadata value (names come from the request and may be hostile). */
  static final int MAX_METADATA_CHARS = 128;

  private static final int[] FRAME_LIMITS = {48, 24, 12, 6, 3, 1, 0};
  private static final int[] TEXT_LIMITS = {1024, 512, 256, 128, 64};
  private static final int[] CAUSE_LIMITS = {8, 4, 2, 1, 0};

  private RemoteErrors() {}

  /**
   * The status for {@code reason}. {@code thrown}, when not null, is described with its traceback
   * (or only its class and message when {@code withTraceback} is false).
   */
  public static Status status(
      ErrorReason reason,
      String message,
      Map<String, String> metadata,
      Throwable thrown,
      boolean withTraceback) {
    Map<String, String> meta = new LinkedHashMap<>();
    metadata.forEach((k, v) -> meta.put(k, truncate(v, MAX_METADATA_CHARS)));
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setReason(reason.name())
            .setDomain(ErrorReason.DOMAIN)
            .putAllMetadata(meta)
            .build();
    String statusMessage = truncate(message, MAX_MESSAGE_CHARS);
    Status plain =
        Status.newBuilder()
            .setCode(reason.code().value())
            .setMessage(statusMessage)
            .addDetails(Any.pack(info))
            .build();
    if (thrown == null) {
      return plain;
    }
    Status last = plain;
    for (int causes : CAUSE_LIMITS) {
      for (int text : TEXT_LIMITS) {
        for (int frames : FRAME_LIMITS) {
          RemoteError error =
              describe(thrown, withTraceback ? frames : 0, text, withTraceback ? causes : 0,
                  Collections.newSetFromMap(new IdentityHashMap<>()));
          Status.Builder status = plain.toBuilder();
          if (withTraceback) {
            status.addDetails(Any.pack(DebugInfo.newBuilder()
                .addAllStackEntries(error.getFramesList().stream().map(RemoteErrors::frame).toList())
                .setDetail(traceback(error))
                .build()));
          }
          last = status.addDetails(Any.pack(error)).build();
          if (last.getSerializedSize() <= MAX_STATUS_BYTES) {
            return last;
          }
        }
      }
    }
    return plain;
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

  private static RemoteError describe(
      Throwable t, int frames, int text, int causes, Set<Throwable> seen) {
    seen.add(t);
    RemoteError.Builder error = RemoteError.newBuilder()
        .setClassName(t.getClass().getName())
        .setMessage(truncate(t.getMessage() == null ? "" : t.getMessage(), text));
    StackTraceElement[] stack = t.getStackTrace();
    int kept = Math.min(frames, stack.length);
    for (int i = 0; i < kept; i++) {
      StackTraceElement e = stack[i];
      StackFrame.Builder f = StackFrame.newBuilder()
          .setClassName(truncate(e.getClassName(), text))
          .setMethodName(truncate(e.getMethodName(), text))
          .setLineNumber(e.getLineNumber());
      if (e.getFileName() != null) {
        f.setFileName(truncate(e.getFileName(), text));
      }
      error.addFrames(f);
    }
    error.setOmittedFrames(stack.length - kept);
    int omitted = 0;
    int budget = causes;
    for (Throwable s : t.getSuppressed()) {
      if (budget > 0 && !seen.contains(s)) {
        error.addSuppressed(describe(s, frames, text, 0, seen));
        budget--;
      } else {
        omitted++;
      }
    }
    Throwable cause = t.getCause();
    if (cause != null && cause != t && !seen.contains(cause)) {
      if (budget > 0) {
        error.setCause(describe(cause, frames, text, budget - 1, seen));
      } else {
        omitted += chainLength(cause, seen);
      }
    }
    return error.setOmittedCauses(omitted).build();
  }

  private static int chainLength(Throwable t, Set<Throwable> seen) {
    int n = 0;
    for (Throwable c = t; c != null && n < 1000 && !seen.contains(c); c = c.getCause()) {
      n++;
      if (c.getCause() == c) {
        break;
      }
    }
    return n;
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

  /** {@code s} cut to {@code max} characters, ending in "…" when cut. */
  public static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, Math.max(0, max - 1)) + "…";
  }
}
