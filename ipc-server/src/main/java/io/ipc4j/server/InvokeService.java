package io.ipc4j.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.internal.ErrorReason;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.Limits;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import com.google.protobuf.ByteString;
import io.grpc.protobuf.StatusProto;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The generic InvokeService: finds the object and method a request names and calls it. */
final class InvokeService extends InvokeServiceGrpc.InvokeServiceImplBase {
  private static final Logger logger = Logger.getLogger(InvokeService.class.getName());

  private final Map<String, ExposedObject> objects;
  private final String defaultObject;
  private final Serializers serializers;
  private final Limits limits;
  private final boolean sendTracebacks;

  InvokeService(Map<String, ExposedObject> objects, String defaultObject, Serializers serializers,
      Limits limits, boolean sendTracebacks) {
    this.objects = objects;
    this.defaultObject = defaultObject;
    this.serializers = serializers;
    this.limits = limits;
    this.sendTracebacks = sendTracebacks;
  }

  @Override
  public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> responses) {
    // A client that gave up (deadline, cancel) gets no answer; without a handler, answering a
    // cancelled call would throw.
    if (responses instanceof ServerCallStreamObserver<?> call) {
      call.setOnCancelHandler(() -> {});
    }
    String objectName = request.getObject().isEmpty() ? defaultObject : request.getObject();
    try {
      ExposedObject object = objects.get(objectName);
      if (object == null) {
        throw new CallException(ErrorReason.NO_SUCH_OBJECT, "no object '" + objectName
            + "' on this server; it exposes " + String.join(", ", objects.keySet()));
      }
      Serializer serializer = serializerOf(request);
      List<Object> args = arguments(objectName, request, serializer);
      ExposedObject.Call call =
          object.resolve(request.getMethod(), request.getParameterTypesList(), args, serializer);
      Object result = run(object, call);
      if (result instanceof CompletionStage<?> stage) {
        stage.whenComplete((value, failure) -> {
          if (failure != null) {
            Throwable thrown = failure instanceof CompletionException
                || failure instanceof ExecutionException ? failure.getCause() : failure;
            fail(responses, objectName, request.getMethod(),
                remote(object, call, thrown == null ? failure : thrown));
          } else {
            answer(responses, objectName, request, serializer, call, value);
          }
        });
      } else {
        answer(responses, objectName, request, serializer, call, result);
      }
    } catch (CallException e) {
      fail(responses, objectName, request.getMethod(), e);
    }
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
    DescribeResponse.Builder d = DescribeResponse.newBuilder()
        .setDefaultObject(defaultObject)
        .addAllSerializers(serializers.names());
    if (request.getObject().isEmpty()) {
      objects.values().forEach(o -> d.addObjects(o.describe()));
    } else {
      ExposedObject object = objects.get(request.getObject());
      if (object == null) {
        fail(responses, request.getObject(), "", new CallException(ErrorReason.NO_SUCH_OBJECT,
            "no object '" + request.getObject() + "' on this server; it exposes "
                + String.join(", ", objects.keySet())));
        return;
      }
      d.addObjects(object.describe());
    }
    responses.onNext(d.build());
    responses.onCompleted();
  }

  private Serializer serializerOf(InvokeRequest request) throws CallException {
    if (!request.hasPayload()) {
      return serializers.json();
    }
    String name = request.getPayload().getSerializer();
    Serializer serializer = serializers.get(name);
    if (serializer == null) {
      throw new CallException(ErrorReason.SERIALIZER_NOT_ACCEPTED,
          "serializer '" + name + "' is not accepted by this server; it accepts "
              + String.join(", ", serializers.names()));
    }
    return serializer;
  }

  private List<Object> arguments(String objectName, InvokeRequest request, Serializer serializer)
      throws CallException {
    try {
      if (request.hasPayload()) {
        return serializer.readArguments(request.getPayload().getData().toByteArray());
      }
      return JsonValues.arguments(request.getArgs(), limits.maxArguments(), limits.maxDepth());
    } catch (IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "bad arguments for " + objectName + "." + request.getMethod() + ": "
              + e.getMessage());
    }
  }

  private static Object run(ExposedObject object, ExposedObject.Call call) throws CallException {
    if (object.lock != null) {
      object.lock.lock();
    }
    try {
      return call.method().method.invoke(object.target, call.args());
    } catch (InvocationTargetException e) {
      throw remote(object, call, e.getCause());
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "cannot call " + object.name + "." + call.method().signature() + ": " + e);
    } finally {
      if (object.lock != null) {
        object.lock.unlock();
      }
    }
  }

  private static CallException remote(ExposedObject object, ExposedObject.Call call, Throwable t) {
    return new CallException(ErrorReason.REMOTE_EXCEPTION,
        object.name + "." + call.method().name() + " threw " + t, t);
  }

  private void answer(StreamObserver<InvokeResponse> responses, String objectName,
      InvokeRequest request, Serializer serializer, ExposedObject.Call call, Object result) {
    InvokeResponse response;
    try {
      if (request.hasPayload()) {
        byte[] data = serializer.writeValue(result, call.method().resultType);
        response = InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
            .setSerializer(serializer.name()).setData(ByteString.copyFrom(data))).build();
      } else {
        response = InvokeResponse.newBuilder().setValue(JsonValues.toValue(
            serializers.json().mapper().valueToTree(result), limits.maxDepth())).build();
      }
    } catch (SerializationException | IllegalArgumentException e) {
      fail(responses, objectName, request.getMethod(), new CallException(
          ErrorReason.RESULT_NOT_SERIALIZABLE, "the result of " + objectName + "."
              + request.getMethod() + " cannot be sent: " + rootMessage(e)));
      return;
    }
    if (!cancelled(responses)) {
      responses.onNext(response);
      responses.onCompleted();
    }
  }

  private static boolean cancelled(StreamObserver<?> responses) {
    return responses instanceof ServerCallStreamObserver<?> call && call.isCancelled();
  }

  private void fail(StreamObserver<?> responses, String object, String method, CallException e) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", object);
    metadata.put("method", method);
    if (e.thrown != null) {
      metadata.put("exception", e.thrown.getClass().getName());
      logger.log(Level.FINE, e.getMessage(), e.thrown);
    }
    if (cancelled(responses)) {
      return;
    }
    responses.onError(StatusProto.toStatusRuntimeException(RemoteErrors.status(
        e.reason, e.getMessage(), metadata, e.thrown, sendTracebacks)));
  }

  private static String rootMessage(Throwable e) {
    return e.getMessage();
  }
}
