package io.ipc4j.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Drainable;
import io.grpc.KnownLength;
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
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Binds the generic service with a request parser that never throws. grpc would answer a
 * request that is not valid protobuf with UNKNOWN, the code of a remote exception, and log a
 * stack trace for each; here such a request is answered INVALID_ARGUMENT (BAD_ARGUMENTS) like any
 * other malformed input, and one over the message size limit RESOURCE_EXHAUSTED on every
 * transport (the in-process one passes messages without serializing them).
 *
 * <p>A {@code Session} message is parsed the same way, call by call: a call whose request is not a
 * valid {@code InvokeRequest}, or is over the size limit, is refused alone under its id, and its
 * request is parsed on its own, so that it may nest as deep as an {@code Invoke} request. Only a
 * message without a readable call id ends the session.
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
    MethodDescriptor<SessionRequest, SessionResponse> session =
        InvokeServiceGrpc.getSessionMethod().toBuilder(
            new SessionMarshaller(limits.maxMessageSize(), requests),
            InvokeServiceGrpc.getSessionMethod().getResponseMarshaller()).build();
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(generated.getName())
        .setSchemaDescriptor(generated.getSchemaDescriptor())
        .addMethod(invoke)
        .addMethod(InvokeServiceGrpc.getDescribeMethod())
        .addMethod(stream)
        .addMethod(session)
        .build();
    return ServerServiceDefinition.builder(descriptor)
        .addMethod(invoke, ServerCalls.asyncUnaryCall(unlessRefused(service::invoke)::accept))
        .addMethod(InvokeServiceGrpc.getDescribeMethod(),
            ServerCalls.asyncUnaryCall(service::describe))
        .addMethod(stream,
            ServerCalls.asyncServerStreamingCall(unlessRefused(service::invokeStream)::accept))
        .addMethod(session,
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

  /** Why {@code request} was refused before it was parsed, or null when it was not. */
  static Status refusal(InvokeRequest request) {
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

  /** Why session message {@code message} was refused whole (it ends the session), or null. */
  static Status refusal(SessionRequest message) {
    if (message.getUnknownFields().getField(REFUSAL_FIELD).getLengthDelimitedList().isEmpty()) {
      return null;
    }
    return refusal(InvokeRequest.newBuilder().setUnknownFields(message.getUnknownFields()).build());
  }

  /** {@code refusal} as the status a client reads: BAD_ARGUMENTS details when malformed. */
  static com.google.rpc.Status refusalStatus(Status refusal) {
    return refusal.getCode() == Status.Code.INVALID_ARGUMENT
        ? RemoteErrors.status(ErrorReason.BAD_ARGUMENTS, refusal.getDescription(), Map.of(), null,
            false)
        : com.google.rpc.Status.newBuilder().setCode(refusal.getCode().value())
            .setMessage(refusal.getDescription()).build();
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
        return malformed(e);
      }
      return checked(request);
    }

    /** {@code bytes} as a request, or a refused one. */
    InvokeRequest parse(ByteString bytes) {
      try {
        return checked(InvokeRequest.parseFrom(bytes));
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return malformed(e);
      }
    }

    private static InvokeRequest malformed(Exception e) {
      return refused(Status.INVALID_ARGUMENT.withDescription(
          "malformed request: not an ipc.v1.InvokeRequest (" + rootMessage(e) + ")"));
    }

    /** {@code request}, or a refused one when it is over the size limit. */
    InvokeRequest checked(InvokeRequest request) {
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

  /**
   * Parses session messages call by call. A message grpc's in-process transport passes as it is
   * (a {@link Drainable}) is taken whole; bytes that do not parse as a {@code SessionRequest} are
   * read field by field, so that a call whose request is malformed keeps its id.
   */
  private static final class SessionMarshaller
      implements MethodDescriptor.Marshaller<SessionRequest> {
    private static final int CALL = 1;
    private static final int CALL_ID = 1;
    private static final int CALL_REQUEST = 2;
    private static final int CALL_TIMEOUT = 3;
    private static final int CALL_ONEWAY = 4;

    private final MethodDescriptor.Marshaller<SessionRequest> proto =
        ProtoUtils.marshaller(SessionRequest.getDefaultInstance());
    private final int maxMessageSize;
    private final LenientMarshaller requests;

    SessionMarshaller(int maxMessageSize, LenientMarshaller requests) {
      this.maxMessageSize = maxMessageSize;
      this.requests = requests;
    }

    @Override
    public InputStream stream(SessionRequest value) {
      return proto.stream(value);
    }

    @Override
    public SessionRequest parse(InputStream stream) {
      if (stream instanceof Drainable) {
        try {
          return checked(proto.parse(stream));
        } catch (RuntimeException e) {
          return malformed(e);
        }
      }
      ByteString bytes;
      try {
        bytes = UnsafeByteOperations.unsafeWrap(stream instanceof KnownLength
            ? stream.readNBytes(stream.available()) : stream.readAllBytes()); // no one else has it
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        return checked(SessionRequest.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        return salvaged(bytes, e);
      }
    }

    /** {@code message}, its call's request refused when over the size limit. */
    private SessionRequest checked(SessionRequest message) {
      if (!message.hasCall() || message.getSerializedSize() <= maxMessageSize) {
        return message;
      }
      SessionRequest.Call call = message.getCall();
      return message.toBuilder().setCall(call.toBuilder().setRequest(
          refused(Status.RESOURCE_EXHAUSTED.withDescription("request of "
              + call.getRequest().getSerializedSize() + " bytes is larger than the limit of "
              + maxMessageSize)))).build();
    }

    /** A message that did not parse: its call, with its request parsed on its own, when it can. */
    private SessionRequest salvaged(ByteString bytes, Exception failure) {
      try {
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(bytes);
        List<ByteString> calls = fields.getField(CALL).getLengthDelimitedList();
        if (calls.isEmpty()) {
          return malformed(failure);
        }
        UnknownFieldSet call = UnknownFieldSet.parseFrom(calls.get(calls.size() - 1));
        List<Long> ids = call.getField(CALL_ID).getVarintList();
        if (ids.isEmpty()) {
          return malformed(failure);
        }
        SessionRequest.Call.Builder salvaged = SessionRequest.Call.newBuilder()
            .setId(ids.get(ids.size() - 1));
        List<Long> oneway = call.getField(CALL_ONEWAY).getVarintList();
        salvaged.setOneway(!oneway.isEmpty() && oneway.get(oneway.size() - 1) != 0);
        List<ByteString> timeouts = call.getField(CALL_TIMEOUT).getLengthDelimitedList();
        if (!timeouts.isEmpty()) {
          salvaged.setTimeout(Duration.parseFrom(timeouts.get(timeouts.size() - 1)));
        }
        ByteString request = ByteString.EMPTY;
        for (ByteString part : call.getField(CALL_REQUEST).getLengthDelimitedList()) {
          request = request.concat(part); // protobuf merges a message field given twice
        }
        return SessionRequest.newBuilder()
            .setCall(salvaged.setRequest(requests.parse(request))).build();
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return malformed(failure);
      }
    }

    private static SessionRequest malformed(Exception e) {
      InvokeRequest refused = refused(Status.INVALID_ARGUMENT.withDescription(
          "malformed message: not an ipc.v1.SessionRequest ("
              + LenientMarshaller.rootMessage(e) + ")"));
      return SessionRequest.newBuilder().setUnknownFields(refused.getUnknownFields()).build();
    }
  }
}
