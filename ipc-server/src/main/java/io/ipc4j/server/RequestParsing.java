package io.ipc4j.server;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.io.InputStream;
import java.util.Map;

/**
 * Binds {@link InvokeService} with a request parser that never throws. grpc would answer a
 * request that is not valid protobuf with UNKNOWN, the code of a remote exception, and log a
 * stack trace for each; here such a request is answered INVALID_ARGUMENT (BAD_ARGUMENTS) like any
 * other malformed input, and one over the message size limit RESOURCE_EXHAUSTED on every
 * transport (the in-process one passes messages without serializing them).
 */
final class RequestParsing {
  private RequestParsing() {}

  /** A request, or the status that answers its bytes. */
  record Parsed(InvokeRequest request, Status refusal) {}

  static ServerServiceDefinition bind(InvokeService service, Limits limits) {
    ServiceDescriptor generated = InvokeServiceGrpc.getServiceDescriptor();
    ParsedMarshaller requests = new ParsedMarshaller(limits.maxMessageSize());
    MethodDescriptor<Parsed, InvokeResponse> invoke = InvokeServiceGrpc.getInvokeMethod()
        .toBuilder(requests, InvokeServiceGrpc.getInvokeMethod().getResponseMarshaller())
        .build();
    MethodDescriptor<Parsed, InvokeResponse> stream = InvokeServiceGrpc.getInvokeStreamMethod()
        .toBuilder(requests, InvokeServiceGrpc.getInvokeStreamMethod().getResponseMarshaller())
        .build();
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(invoke)
        .addMethod(InvokeServiceGrpc.getDescribeMethod())
        .addMethod(stream)
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(invoke, ServerCalls.asyncUnaryCall((Parsed p, StreamObserver<InvokeResponse> o)
            -> {
          if (p.refusal() != null) {
            refuse(p.refusal(), o);
          } else {
            service.invoke(p.request(), o);
          }
        }))
        .addMethod(InvokeServiceGrpc.getDescribeMethod(),
            ServerCalls.asyncUnaryCall(service::describe))
        .addMethod(stream, ServerCalls.asyncServerStreamingCall(
            (Parsed p, StreamObserver<InvokeResponse> o) -> {
              if (p.refusal() != null) {
                refuse(p.refusal(), o);
              } else {
                service.invokeStream(p.request(), o);
              }
            }))
        .build();
  }

  private static void refuse(Status refusal, StreamObserver<InvokeResponse> responses) {
    if (refusal.getCode() == Status.Code.INVALID_ARGUMENT) {
      responses.onError(StatusProto.toStatusRuntimeException(RemoteErrors.status(
          ErrorReason.BAD_ARGUMENTS, refusal.getDescription(), Map.of(), null, false)));
    } else {
      responses.onError(refusal.asRuntimeException());
    }
  }

  /** Parses with protobuf's own marshaller, turning its failures into a refusal. */
  private static final class ParsedMarshaller implements MethodDescriptor.Marshaller<Parsed> {
    private final MethodDescriptor.Marshaller<InvokeRequest> proto =
        ProtoUtils.marshaller(InvokeRequest.getDefaultInstance());
    private final int maxMessageSize;

    ParsedMarshaller(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    @Override
    public InputStream stream(Parsed value) {
      return proto.stream(value.request());
    }

    @Override
    public Parsed parse(InputStream stream) {
      InvokeRequest request;
      try {
        request = proto.parse(stream);
      } catch (RuntimeException e) {
        return new Parsed(null, Status.INVALID_ARGUMENT.withDescription(
            "malformed request: not an ipc.v1.InvokeRequest (" + rootMessage(e) + ")"));
      }
      int size = request.getSerializedSize();
      if (size > maxMessageSize) {
        return new Parsed(null, Status.RESOURCE_EXHAUSTED.withDescription(
            "request of " + size + " bytes is larger than the limit of " + maxMessageSize));
      }
      return new Parsed(request, null);
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return RemoteErrors.truncate(String.valueOf(t.getMessage()), 160);
    }
  }
}
