package io.ipc4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names, made once: OpenTelemetry's RPC semantic conventions where they name the
 * thing, {@code ipc4j.*} for what only ipc4j has.
 */
final class Keys {
  private Keys() {}

  /** Always {@value #SYSTEM}. */
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  /** The exposed object's name. */
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  /** The method's name. */
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  /** The gRPC status code as its number (0 = OK), as gRPC instrumentation reports it. */
  static final AttributeKey<Long> RPC_GRPC_STATUS_CODE =
      AttributeKey.longKey("rpc.grpc.status_code");
  /** ipc4j's reason for a failure ({@code io.ipc4j.core.ErrorReason}'s name), on failures only. */
  static final AttributeKey<String> ERROR_REASON = AttributeKey.stringKey("ipc4j.error.reason");
  /** The gRPC method that carried the call: {@code Session}, {@code Invoke}, {@code InvokeStream}. */
  static final AttributeKey<String> TRANSPORT_RPC = AttributeKey.stringKey("ipc4j.rpc");
  /** Whether nobody waits for the call's result. */
  static final AttributeKey<Boolean> ONEWAY = AttributeKey.booleanKey("ipc4j.oneway");
  /** The class of what was thrown, on the span's {@code exception} event. */
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  /** Its message, on the span's {@code exception} event. */
  static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");

  /** The value of {@link #RPC_SYSTEM}. */
  static final String SYSTEM = "ipc4j";
}
