package io.ipc4j.core.internal;

import io.ipc4j.proto.v1.SessionRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The entries a client's call carries besides its request, put there by the client's call
 * observer: W3C trace context ({@code traceparent}, {@code tracestate}) in slots of its own,
 * anything else in a map made when first needed. On a session the slots travel in the call's own
 * fields, the rest in its {@code metadata} map; with {@code Invoke}, all as request headers. A
 * traced call carries trace context every time, and a protobuf map entry costs several objects
 * to write and to read where a string field costs one.
 */
public final class CallMetadata {
  /** The W3C trace context header naming the trace and the calling span. */
  public static final String TRACEPARENT = "traceparent";
  /** The W3C trace context header carrying vendors' trace state. */
  public static final String TRACESTATE = "tracestate";
  /** No entries, for calls nothing observes; takes none. */
  public static final CallMetadata NONE = new CallMetadata(false);

  private final boolean mutable;
  private String traceparent;
  private String tracestate;
  private Map<String, String> others;

  /** Empty, to be filled by {@link #put}. */
  public CallMetadata() {
    this(true);
  }

  private CallMetadata(boolean mutable) {
    this.mutable = mutable;
  }

  /** Sets the entry {@code key} to {@code value}. */
  public void put(String key, String value) {
    if (!mutable) {
      throw new UnsupportedOperationException("CallMetadata.NONE takes no entries");
    }
    if (key.equals(TRACEPARENT)) {
      traceparent = value;
    } else if (key.equals(TRACESTATE)) {
      tracestate = value;
    } else {
      if (others == null) {
        others = new LinkedHashMap<>(4);
      }
      others.put(key, value);
    }
  }

  /** Whether there are no entries. */
  public boolean isEmpty() {
    return traceparent == null && tracestate == null && others == null;
  }

  /** Gives each entry to {@code each}: trace context first, then the others in order. */
  public void forEach(BiConsumer<String, String> each) {
    if (traceparent != null) {
      each.accept(TRACEPARENT, traceparent);
    }
    if (tracestate != null) {
      each.accept(TRACESTATE, tracestate);
    }
    if (others != null) {
      others.forEach(each);
    }
  }

  /** Puts the entries into {@code call}: trace context in its fields, the rest in its map. */
  public void writeTo(SessionRequest.Call.Builder call) {
    if (traceparent != null) {
      call.setTraceparent(traceparent);
    }
    if (tracestate != null) {
      call.setTracestate(tracestate);
    }
    if (others != null) {
      call.putAllMetadata(others);
    }
  }

  /**
   * The entry {@code key} that {@code call} carries, or null. Trace context comes from the call's
   * fields when its {@code traceparent} field is set (a client that uses the fields uses them for
   * both), and otherwise from its map, as a client that puts every header there sends it.
   */
  public static String read(SessionRequest.Call call, String key) {
    boolean inFields = !call.getTraceparent().isEmpty();
    if (key.equals(TRACEPARENT) && inFields) {
      return call.getTraceparent();
    }
    if (key.equals(TRACESTATE) && inFields) {
      return call.getTracestate().isEmpty() ? null : call.getTracestate();
    }
    return call.getMetadataMap().get(key);
  }
}
