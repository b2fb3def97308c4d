package io.ipc4j.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.Limits;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.io.InputStream;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Binds the generic service with a request parser that never throws. grpc would answer a
 * request that is not valid protobuf with UNKNOWN, the code of a remote exception, and log a
 * stack trace for each; here such a request is answered INVALID_ARGUMENT (BAD_ARGUMENTS) like any
 * other malformed input, and one over the message size limit RESOURCE_EXHAUSTED on every
 * transport (the in-process one passes messages without serializing them).
 */
final class RequestParsing {
  private RequestParsing() {}

  /**
   * The unknown field that marks a request standing for bytes that were refused, with the
   * refusal as {@code CODE:description}. The handlers look for it; interceptors still see an
   * {@code InvokeRequest}. A peer that sends the field itself only gets its own refusal back.
   */
  private static final int REFUSAL_FIELD = 536_870_911;

  static ServerServiceDefinition bind(InvokeServiceGrpc.AsyncService service, Limits limits) {
    ServiceDescriptor generated = InvokeServiceGrpc.getServiceDescriptor();
    LenientMarshaller requests = new LenientMarshaller(limits.maxMessageSize());
    MethodDescriptor<InvokeRequest, InvokeResponse> invoke = InvokeServiceGrpc.getInvokeMethod()
        .toBuilder(requests, InvokeServiceGrpc.getInvokeMethod().getResponseMarshaller())
        .build();
    MethodDescriptor<InvokeRequest, InvokeResponse> stream = InvokeServiceGrpc.getInvokeStreamMethod()
        .toBuilder(requests, InvokeServiceGrpc.getInvokeStreamMethod().getResponseMarshaller())
        .build();
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(invoke)
        .addMethod(InvokeServiceGrpc.getDescribeMethod())
        .addMethod(stream)
        .addMethod(InvokeServiceGrpc.getSessionMethod())
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(invoke, ServerCalls.asyncUnaryCall(unlessRefused(service::invoke)::accept))
        .addMethod(InvokeServiceGrpc.getDescribeMethod(),
            ServerCalls.asyncUnaryCall(service::describe))
        .addMethod(stream,
            ServerCalls.asyncServerStreamingCall(unlessRefused(service::invokeStream)::accept))
        .addMethod(InvokeServiceGrpc.getSessionMethod(),
            ServerCalls.asyncBidiStreamingCall(service::session))
        .build();
  }

  /** Answers a refused request with its refusal, and passes any other to {@code call}. */
  private static BiConsumer<InvokeRequest, StreamObserver<InvokeResponse>> unlessRefused(
      BiConsumer<InvokeRequest, StreamObserver<InvokeResponse>> call) {
    return (request, responses) -> {
      Status refusal = refusal(request);
      if (refusal != null) {
        refuse(refusal, responses);
      } else {
        call.accept(request, responses);
      }
    };
  }

  private static InvokeRequest refused(Status status) {
    String text = status.getCode().value() + ":" + status.getDescription();
    return InvokeRequest.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(REFUSAL_FIELD, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8(text)).build())
        .build()).build();
  }

  private static Status refusal(InvokeRequest request) {
    UnknownFieldSet.Field field = request.getUnknownFields().getField(REFUSAL_FIELD);
    if (field.getLengthDelimitedList().isEmpty()) {
      return null;
    }
    String text = field.getLengthDelimitedList().get(0).toStringUtf8();
    int colon = text.indexOf(':');
    Status.Code code = Status.Code.INVALID_ARGUMENT;
    try {
      code = Status.fromCodeValue(Integer.parseInt(text.substring(0, Math.max(colon, 0))))
          .getCode();
    } catch (NumberFormatException e) {
      // a peer's own field: answered as malformed input
    }
    if (code != Status.Code.RESOURCE_EXHAUSTED) {
      code = Status.Code.INVALID_ARGUMENT;
    }
    return Status.fromCode(code).withDescription(
        RemoteErrors.truncate(text.substring(colon + 1), 256));
  }

  private static void refuse(Status refusal, StreamObserver<InvokeResponse> responses) {
    if (refusal.getCode() == Status.Code.INVALID_ARGUMENT) {
      responses.onError(StatusProto.toStatusRuntimeException(RemoteErrors.status(
          ErrorReason.BAD_ARGUMENTS, refusal.getDescription(), Map.of(), null, false)));
    } else {
      responses.onError(refusal.asRuntimeException());
    }
  }

  /** Parses with protobuf's own marshaller, turning its failures into a refused request. */
  private static final class LenientMarshaller
      implements MethodDescriptor.Marshaller<InvokeRequest> {
    private final MethodDescriptor.Marshaller<InvokeRequest> proto =
        ProtoUtils.marshaller(InvokeRequest.getDefaultInstance());
    private final int maxMessageSize;

    LenientMarshaller(int maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    @Override
    public InputStream stream(InvokeRequest value) {
      return proto.stream(value);
    }

    @Override
    public InvokeRequest parse(InputStream stream) {
      InvokeRequest request;
      try {
        request = proto.parse(stream);
      } catch (RuntimeException e) {
        return refused(Status.INVALID_ARGUMENT.withDescription(
            "malformed request: not an ipc.v1.InvokeRequest (" + rootMessage(e) + ")"));
      }
      int size = request.getSerializedSize();
      if (size > maxMessageSize) {
        return refused(Status.RESOURCE_EXHAUSTED.withDescription(
            "request of " + size + " bytes is larger than the limit of " + maxMessageSize));
      }
      return request;
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
