package io.ipc4j.client;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends calls over one channel and turns answers and failures into values and exceptions. */
final class Invoker {
  private final ManagedChannel channel;
  private final InvokeServiceGrpc.InvokeServiceBlockingStub stub;
  private final Serializer serializer;
  private final Serializers serializers;
  private final Duration deadline;
  private final String target;
  private final int maxDepth;

  Invoker(ManagedChannel channel, io.grpc.ClientInterceptor[] interceptors,
      Serializers serializers, String serializer, Duration deadline, String target, int maxDepth) {
    this.channel = channel;
    this.stub = InvokeServiceGrpc.newBlockingStub(channel).withInterceptors(interceptors);
    this.serializers = serializers;
    this.serializer = serializers.get(serializer);
    this.deadline = deadline;
    this.target = target;
    this.maxDepth = maxDepth;
  }

  /** Calls {@code object.method(args)} and reads the result as {@code resultType}. */
  Object invoke(String object, String method, List<String> parameterTypes, Object[] args,
      Type resultType) {
    String call = object + "." + method + " at " + target;
    byte[] data;
    try {
      data = serializer.writeArguments(args);
    } catch (SerializationException e) {
      throw new IpcBadArgumentsException(e.getMessage() + " (" + call + ")",
          Status.Code.INVALID_ARGUMENT, "", e);
    }
    InvokeRequest request = InvokeRequest.newBuilder()
        .setObject(object)
        .setMethod(method)
        .addAllParameterTypes(parameterTypes)
        .setPayload(Payload.newBuilder().setSerializer(serializer.name())
            .setData(UnsafeByteOperations.unsafeWrap(data)))
        .build();
    InvokeResponse response;
    try {
      response = stub().invoke(request);
    } catch (StatusRuntimeException e) {
      throw failure(e, call);
    }
    try {
      if (response.hasPayload()) {
        Serializer answering = serializers.get(response.getPayload().getSerializer());
        if (answering == null) {
          throw new IpcException("the server answered in serializer '"
              + response.getPayload().getSerializer() + "', which this client does not read ("
              + call + ")", Status.Code.INTERNAL, "", null);
        }
        return answering.readValue(response.getPayload().getData().toByteArray(), resultType);
      }
      return serializers.json().convert(JsonValues.toNode(response.getValue(), maxDepth),
          resultType);
    } catch (SerializationException | IllegalArgumentException e) {
      throw new IpcException("cannot read the result as " + resultType.getTypeName() + ": "
          + e.getMessage() + " (" + call + ")", Status.Code.INTERNAL, "", e);
    }
  }

  /** The description of {@code object}, or of every object when it is empty. */
  DescribeResponse describe(String object) {
    try {
      return stub().describe(DescribeRequest.newBuilder().setObject(object).build());
    } catch (StatusRuntimeException e) {
      throw failure(e, "describe " + (object.isEmpty() ? "" : object + " ") + "at " + target);
    }
  }

  private InvokeServiceGrpc.InvokeServiceBlockingStub stub() {
    reconnectIfFailed(channel);
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * After a failed connection the channel stays in TRANSIENT_FAILURE and fails every call at once
   * until a backed-off attempt succeeds, even when the server is back. A new call is a good reason
   * to try now: an idle channel resolves the target again and connects afresh, and the call waits
   * for that attempt, so a started or restarted server is found at once and a missing one still
   * fails fast.
   */
  static void reconnectIfFailed(ManagedChannel channel) {
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.enterIdle();
    }
  }

  private static IpcException failure(StatusRuntimeException e, String call) {
    if (e.getStatus().getCode() == Status.Code.CANCELLED
        && Thread.currentThread().isInterrupted()) {
      return new IpcException("interrupted while waiting for " + call, Status.Code.CANCELLED,
          "", e);
    }
    return Failures.of(e, call);
  }
}
