package io.ipc4j.opentelemetry;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;
import io.opentelemetry.api.common.Attributes;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every call to one method records by, made once: the span name, the attributes of its
 * metrics by how the call ended (status code and reason), so that a call builds none of them, and
 * its count of calls in flight.
 */
final class MethodAttributes {
  private static final ErrorReason[] REASONS = ErrorReason.values();
  /** Slots per status code: no reason, then one per reason. */
  private static final int STRIDE = REASONS.length + 1;
  private static final int CODES = Status.Code.values().length;

  /** {@code object/method}, as the conventions name an RPC span. */
  final String spanName;
  /** The exposed object's name, for {@code rpc.service}. */
  final String object;
  /** The method's name, for {@code rpc.method}. */
  final String method;
  /** {@code rpc.system}, {@code rpc.service}, {@code rpc.method}: for spans and calls in flight. */
  final Attributes base;
  /**
   * Calls of this method in flight, read when metrics are collected: two additions per call cost
   * far less than two recordings of an up-down counter, each of which looks up its series.
   */
  final LongAdder active;
  private final Attributes ok;
  /** The attributes of failed calls by code and reason, made when first needed. */
  private volatile AtomicReferenceArray<Attributes> failed;

  /** {@code active} counts this method's calls in flight. */
  MethodAttributes(String object, String method, LongAdder active) {
    this.active = active;
    this.spanName = object + "/" + method;
    this.object = object;
    this.method = method;
    this.base = Attributes.of(Keys.RPC_SYSTEM, Keys.SYSTEM, Keys.RPC_SERVICE, object,
        Keys.RPC_METHOD, method);
    this.ok = ended(base, 0, null);
  }

  /** The attributes of a call that ended with status {@code code} and {@code reason}. */
  Attributes ended(int code, ErrorReason reason) {
    if (code == 0 && reason == null) {
      return ok;
    }
    AtomicReferenceArray<Attributes> slots = failed;
    if (slots == null) {
      synchronized (this) {
        slots = failed;
        if (slots == null) {
          slots = new AtomicReferenceArray<>(CODES * STRIDE);
          failed = slots;
        }
      }
    }
    int slot = code * STRIDE + (reason == null ? 0 : reason.ordinal() + 1);
    Attributes attributes = slots.get(slot);
    if (attributes == null) {
      attributes = ended(base, code, reason);
      slots.set(slot, attributes);
    }
    return attributes;
  }

  private static Attributes ended(Attributes base, int code, ErrorReason reason) {
    var builder = base.toBuilder().put(Keys.RPC_GRPC_STATUS_CODE, code);
    if (reason != null) {
      builder.put(Keys.ERROR_REASON, reason.name());
    }
    return builder.build();
  }
}
