package io.ipc4j.server.hardening;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A raw {@code ipc.v1.InvokeService/Session} stream: each message goes as the exact bytes a test
 * made (valid protobuf or not), and the answers come back by id, with the status the stream ended
 * with. A wire opened without reading asks for no answer until {@link #read} is called.
 */
final class SessionWire implements AutoCloseable {
  /** Session with bytes in and bytes out. */
  static final MethodDescriptor<byte[], byte[]> SESSION_BYTES =
      MethodDescriptor.<byte[], byte[]>newBuilder(Raw.Bytes.INSTANCE, Raw.Bytes.INSTANCE)
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(InvokeServiceGrpc.getSessionMethod().getFullMethodName())
          .build();

  private final ClientCall<byte[], byte[]> call;
  /** Every answer, in the order it came. */
  final List<SessionResponse> received = new CopyOnWriteArrayList<>();
  private final Map<Long, CompletableFuture<SessionResponse>> answers = new ConcurrentHashMap<>();
  /** How the stream ended, with its trailers' details. */
  final CompletableFuture<StatusRuntimeException> end = new CompletableFuture<>();

  private SessionWire(Channel channel, boolean reading) {
    call = channel.newCall(SESSION_BYTES, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        SessionResponse response;
        try {
          response = SessionResponse.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
          throw new UncheckedIOException(e);
        }
        received.add(response);
        CompletableFuture<SessionResponse> waiting = answers.remove(response.getId());
        if (waiting != null) {
          waiting.complete(response);
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        StatusRuntimeException ended = status.asRuntimeException(trailers);
        end.complete(ended);
        answers.values().forEach(a -> a.completeExceptionally(ended));
      }
    }, new Metadata());
    if (reading) {
      call.request(Integer.MAX_VALUE);
    }
  }

  /** A session that reads its answers as they come. */
  static SessionWire open(Channel channel) {
    return new SessionWire(channel, true);
  }

  /** A session that reads nothing until {@link #read}. */
  static SessionWire openWithoutReading(Channel channel) {
    return new SessionWire(channel, false);
  }

  /** Sends {@code bytes} as one message, whatever they are. */
  void send(byte[] bytes) {
    call.sendMessage(bytes);
  }

  void send(SessionRequest message) {
    send(message.toByteArray());
  }

  /**
   * The next answer under {@code id}, asked for before the call is sent; failed with the stream's
   * end if it ended first.
   */
  CompletableFuture<SessionResponse> answer(long id) {
    CompletableFuture<SessionResponse> answer =
        answers.computeIfAbsent(id, k -> new CompletableFuture<>());
    StatusRuntimeException ended = end.getNow(null);
    if (ended != null) {
      answer.completeExceptionally(ended);
    }
    return answer;
  }

  /** Sends {@code request} as call {@code id} and waits for its first answer. */
  SessionResponse call(long id, byte[] request) throws Exception {
    CompletableFuture<SessionResponse> answer = answer(id);
    send(callBytes(id, request));
    return answer.get(30, TimeUnit.SECONDS);
  }

  /** Reads every answer from now on. */
  void read() {
    call.request(Integer.MAX_VALUE);
  }

  void halfClose() {
    call.halfClose();
  }

  /** Waits for the stream's end. */
  StatusRuntimeException awaitEnd() throws Exception {
    return end.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!end.isDone()) {
      call.cancel("test over", null);
    }
  }

  /**
   * A session message whose call {@code id} carries {@code request} as it is: the bytes of an
   * {@code InvokeRequest}, or not.
   */
  static byte[] callBytes(long id, byte[] request) {
    try {
      ByteArrayOutputStream call = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(call);
      out.writeUInt64(SessionRequest.Call.ID_FIELD_NUMBER, id);
      out.writeByteArray(SessionRequest.Call.REQUEST_FIELD_NUMBER, request);
      out.flush();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      out = CodedOutputStream.newInstance(message);
      out.writeByteArray(SessionRequest.CALL_FIELD_NUMBER, call.toByteArray());
      out.flush();
      return message.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code response} as {@link Raw} reports an {@code Invoke}, to judge it the same way. */
  static Raw.Outcome outcome(SessionResponse response, long nanos) {
    if (response.hasAnswer()) {
      return new Raw.Outcome(Status.Code.OK, "", "", response.getAnswer().toByteArray(), nanos);
    }
    return outcome(response.getError(), nanos);
  }

  /** A stream's end as {@link Raw} reports an {@code Invoke}. */
  static Raw.Outcome outcome(StatusRuntimeException end, long nanos) {
    com.google.rpc.Status details = StatusProto.fromThrowable(end);
    if (details == null) {
      details = com.google.rpc.Status.newBuilder().setCode(end.getStatus().getCode().value())
          .setMessage(String.valueOf(end.getStatus().getDescription())).build();
    }
    return outcome(details, nanos);
  }

  private static Raw.Outcome outcome(com.google.rpc.Status error, long nanos) {
    var info = RemoteErrors.errorInfo(error);
    return new Raw.Outcome(Status.fromCodeValue(error.getCode()).getCode(), error.getMessage(),
        info == null ? "" : info.getDomain() + ":" + info.getReason(), null, nanos);
  }
}
