package io.ipc4j.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.Context;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.Throwables;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Payload;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last stage of a call: its answer in the request's form (a JSON value, or a payload in the
 * request's serializer), written as the method's declared type; or its failure as a gRPC status
 * with ipc4j's error details, logged by a {@link FailureLog}. A streaming method's items are
 * encoded here one by one, for a stream call, or collected into one answer for {@code
 * Invoke}.
 */
final class AnswerEncoder {
  private final Serializers serializers;
  private final Limits limits;
  private final boolean sendTracebacks;
  /** The failed calls of this server. */
  private final FailureLog failures;

  AnswerEncoder(Serializers serializers, Limits limits, boolean sendTracebacks,
      FailureLog failures) {
    this.serializers = serializers;
    this.limits = limits;
    this.sendTracebacks = sendTracebacks;
    this.failures = failures;
  }

  void answer(ServerCallStreamObserver<InvokeResponse> responses, String objectName,
      InvokeRequest request, Serializer serializer, ExposedObject.Call call, Object result,
      boolean oneway) {
    InvokeResponse response;
    try {
      response = encodeAnswer(objectName, request, serializer, call, result);
    } catch (CallException e) {
      fail(responses, objectName, request.getMethod(), e, oneway);
      return;
    }
    send(responses, response);
  }

  /**
   * The answer of a call that returned {@code result}, in the request's form.
   *
   * @throws CallException RESULT_NOT_SERIALIZABLE when the result cannot be written
   */
  InvokeResponse encodeAnswer(String objectName, InvokeRequest request, Serializer serializer,
      ExposedObject.Call call, Object result) throws CallException {
    return encodeAnswer(objectName, request, serializer, result, call.method().resultType);
  }

  /** {@link #encodeAnswer} of {@code result} written as {@code type}. */
  InvokeResponse encodeAnswer(String objectName, InvokeRequest request, Serializer serializer,
      Object result, Type type) throws CallException {
    try {
      return encode(request, serializer, result, type);
    } catch (Throwable e) {
      // Errors too (a getter may throw one): the call must still get a status.
      throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE, "the result of " + objectName
          + "." + request.getMethod() + " cannot be sent: " + reasonOf(e));
    }
  }

  static void send(ServerCallStreamObserver<InvokeResponse> responses,
      InvokeResponse response) {
    if (!responses.isCancelled()) {
      responses.onNext(response);
      responses.onCompleted();
    }
  }

  /**
   * {@code value} in the request's form: a JSON value, or a payload in its serializer; written as
   * {@code type}, the method's declared result or item type, so that a value sends only what its
   * declared type promises (Java serialization writes the whole object, by its nature).
   */
  private InvokeResponse encode(InvokeRequest request, Serializer serializer, Object value,
      Type type) {
    if (request.hasPayload()) {
      ByteString data = serializer.writeValueBytes(value, type);
      return InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
          .setSerializer(serializer.name()).setData(data)).build();
    }
    return InvokeResponse.newBuilder().setValue(JsonValues.toValue(
        serializers.json().writeValueAsTree(value, type), limits.maxDepth())).build();
  }

  /**
   * Item {@code index} of {@code name}'s stream as a response, written as {@code itemType} (the
   * method's declared item type), or RESULT_NOT_SERIALIZABLE.
   */
  InvokeResponse encodeItem(String name, int index, InvokeRequest request, Serializer serializer,
      Object item, Type itemType) throws CallException {
    try {
      return encode(request, serializer, item, itemType);
    } catch (Throwable e) {
      throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE,
          "item " + index + " of " + name + " cannot be sent: " + reasonOf(e));
    }
  }

  /**
   * The answer of {@code Invoke} on a streaming method: all its items as one list, as long as
   * they fit the message size limit; the source is closed in any case.
   */
  InvokeResponse collect(ExposedObject object, ExposedObject.Call call, Object result,
      InvokeRequest request, Serializer serializer) throws CallException {
    ExposedMethod method = call.method();
    String name = object.name + "." + method.name();
    ItemSource source = CallRunner.source(object, call, result);
    List<Object> items = new ArrayList<>();
    ListValue.Builder values = ListValue.newBuilder();
    long size = 0;
    CallInterrupter interrupter = CallInterrupter.start(Context.current());
    try {
      while (true) {
        Object item;
        try {
          if (!source.items.hasNext()) {
            break;
          }
          item = source.items.next();
        } catch (Throwable e) {
          throw RemoteFailure.of(object, call, e,
              RemoteFailure.framesBelow(e, new Throwable().getStackTrace()));
        }
        InvokeResponse one = encodeItem(name, items.size(), request, serializer, item,
            method.itemType);
        size += one.getSerializedSize();
        if (size > limits.maxMessageSize()) {
          throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE, "the items of " + name
              + " exceed the message size limit of " + limits.maxMessageSize()
              + " bytes; read them with InvokeStream");
        }
        items.add(item);
        values.addValues(one.hasValue() ? one.getValue() : Value.getDefaultInstance());
      }
    } finally {
      interrupter.close();
      source.closeQuietly(name);
    }
    if (!request.hasPayload()) {
      return InvokeResponse.newBuilder()
          .setValue(Value.newBuilder().setListValue(values)).build();
    }
    try {
      return encode(request, serializer, items, method.itemListType);
    } catch (Throwable e) {
      throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE,
          "the result of " + name + " cannot be sent: " + reasonOf(e));
    }
  }

  /** Why a value could not be written: the serializer's message, or the class of what broke. */
  private static String reasonOf(Throwable e) {
    if (e instanceof SerializationException || e instanceof IllegalArgumentException) {
      return Throwables.messageOf(e);
    }
    String message = Throwables.messageOf(e);
    return e.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * Sends {@code e} as the call's status, unless the call was cancelled, and logs it: see {@link
   * FailureLog} for what is logged at which level.
   */
  void fail(StreamObserver<?> responses, String object, String method, CallException e,
      boolean oneway) {
    if (responses instanceof ObservedResponses observed) {
      observed.failedWith(e.thrown);
    }
    boolean cancelled = responses instanceof ServerCallStreamObserver<?> call
        && call.isCancelled();
    com.google.rpc.Status status = status(object, method, e, oneway, cancelled);
    if (status != null) {
      responses.onError(StatusProto.toStatusRuntimeException(status));
    }
  }

  /**
   * Logs the failure {@code e} (see {@link FailureLog}) and answers the status that tells the
   * client, with ipc4j's error details; null for a {@code cancelled} call, which nobody hears.
   */
  com.google.rpc.Status status(String object, String method, CallException e, boolean oneway,
      boolean cancelled) {
    failures.callFailed(object, method, e, oneway, cancelled);
    if (cancelled) {
      return null;
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", object);
    metadata.put("method", method);
    if (e.thrown != null) {
      metadata.put("exception", e.thrown.getClass().getName());
    }
    // Without tracebacks nothing of the exception's own text leaves the server: its message may
    // carry a path or a secret. The client learns object, method and the exception's class.
    String message = sendTracebacks || e.thrown == null ? e.getMessage()
        : object + "." + method + " threw " + e.thrown.getClass().getName();
    com.google.rpc.Status status = RemoteErrors.status(e.reason, message, metadata, e.thrown,
        sendTracebacks, e.framesToDrop);
    return e.code == null ? status : status.toBuilder().setCode(e.code.value()).build();
  }
}
