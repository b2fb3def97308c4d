package io.ipc4j.testkit;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server half of fault injection: a call whose request carries a dispatched fault is closed
 * with the status that fault stands for, before the exposed method runs. A remote exception is
 * built exactly as the server builds a real one, details and all.
 */
final class FaultServerInterceptor implements ServerInterceptor {
  static final String INJECTED = "fault injected by IpcExtension.faults()";

  private final IpcFaults faults;

  FaultServerInterceptor(IpcFaults faults) {
    this.faults = faults;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String id = headers.get(FaultClientInterceptor.FAULT);
    IpcFaults.Dispatched dispatched = id == null ? null : faults.claim(id);
    if (dispatched == null) {
      return next.startCall(call, headers);
    }
    switch (dispatched.fault().kind()) {
      case UNAVAILABLE ->
          call.close(Status.UNAVAILABLE.withDescription("unavailable: " + INJECTED),
              new Metadata());
      case DEADLINE_EXCEEDED ->
          call.close(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded: " + INJECTED),
              new Metadata());
      default -> {
        StatusRuntimeException e = thrown(dispatched);
        call.close(e.getStatus(), e.getTrailers());
      }
    }
    return new ServerCall.Listener<>() {};
  }

  private static StatusRuntimeException thrown(IpcFaults.Dispatched d) {
    Throwable t = d.fault().thrown();
    String method = d.method() == null ? "" : d.method();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", d.object());
    metadata.put("method", method);
    metadata.put("exception", t.getClass().getName());
    return StatusProto.toStatusRuntimeException(RemoteErrors.status(ErrorReason.REMOTE_EXCEPTION,
        d.object() + "." + method + " threw " + t, metadata, t, true));
  }
}
