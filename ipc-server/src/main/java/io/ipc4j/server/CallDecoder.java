package io.ipc4j.server;

import io.ipc4j.core.CallObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import java.util.List;
import java.util.Map;

/**
 * The first stage of a call: a request becomes a call of an exposed method with its arguments, or
 * a {@link CallException} saying what does not fit. It runs nothing of the user's: the same for
 * {@code Invoke} and {@code InvokeStream}, on whatever thread takes the request.
 */
final class CallDecoder {
  /** The largest request a {@link io.ipc4j.core.NonBlocking} method is run inline for. */
  static final int INLINE_MAX_BYTES = 16 * 1024;

  private final Map<String, ExposedObject> objects;
  private final String defaultObject;
  private final Serializers serializers;
  private final Limits limits;

  CallDecoder(Map<String, ExposedObject> objects, String defaultObject, Serializers serializers,
      Limits limits) {
    this.objects = objects;
    this.defaultObject = defaultObject;
    this.serializers = serializers;
    this.limits = limits;
  }

  /**
   * Decodes {@code request} into a call: the object, the serializer of its arguments, the method
   * and the arguments converted to its parameter types.
   *
   * @throws CallException NO_SUCH_OBJECT, SERIALIZER_NOT_ACCEPTED, NO_SUCH_METHOD or BAD_ARGUMENTS
   */
  Decoded decode(InvokeRequest request) throws CallException {
    return decode(request, null, null);
  }

  /**
   * {@link #decode(InvokeRequest)} for a call that came on a session, whose {@code references}
   * turn the ids of {@code @Remote} arguments into proxies. {@code object}, when not null, is the
   * object the call goes to (one the session holds by reference) instead of the one the request
   * names. Without a session (null), a method that passes or returns references is refused.
   *
   * @throws CallException as {@link #decode(InvokeRequest)}; BAD_ARGUMENTS for a method that
   *     carries references called without a session; RESOURCE_EXHAUSTED when the session holds
   *     its most references
   */
  Decoded decode(InvokeRequest request, ExposedObject object, SessionReferences references)
      throws CallException {
    ExposedObject target = object != null ? object : object(objectName(request));
    Serializer serializer = serializerOf(request);
    ExposedObject.Call call = call(target.name, target, request, serializer);
    if (call.method().carriesReferences) {
      if (references == null) {
        throw new CallException(ErrorReason.BAD_ARGUMENTS, call.method().needsSession());
      }
      Object[] args = call.args();
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof ReferenceArgument reference) {
          args[i] = references.imported(reference, serializer);
        }
      }
    }
    return new Decoded(request, target, serializer, call);
  }

  /**
   * A request decoded into a call.
   *
   * @param request the request as it came
   * @param object the object it names
   * @param serializer the serializer of its arguments, and of the answer
   * @param call the chosen method and the converted arguments
   */
  record Decoded(InvokeRequest request, ExposedObject object, Serializer serializer,
      ExposedObject.Call call) {

    /** {@code object.method}, as messages name the call. */
    String name() {
      return object.name + "." + call.method().name();
    }
  }

  /**
   * Whether the call may run right here, on the transport thread: a {@link
   * io.ipc4j.core.NonBlocking} method, not overloaded, not streamed, on an object that needs no
   * lock, and a small request (its arguments are read here too).
   */
  boolean runsInline(InvokeRequest request) {
    if (request.getSerializedSize() > INLINE_MAX_BYTES) {
      return false;
    }
    ExposedObject object = objects.get(objectName(request));
    if (object == null || object.lock != null) {
      return false;
    }
    ExposedMethod method = object.only(request.getMethod());
    return method != null && method.nonBlocking && !method.streaming;
  }

  /** Whether the request names a method marked {@code @Oneway} (not overloaded). */
  boolean namesOnewayMethod(InvokeRequest request) {
    ExposedObject object = objects.get(objectName(request));
    ExposedMethod method = object == null ? null : object.only(request.getMethod());
    return method != null && method.oneway;
  }

  /**
   * The object a request names, as an observer may count it: the exposed name, or {@link
   * CallObserver.Call#UNKNOWN}, so that names a client makes up cannot multiply what is counted.
   */
  String observedObject(InvokeRequest request) {
    return objects.containsKey(objectName(request)) ? objectName(request)
        : CallObserver.Call.UNKNOWN;
  }

  /** The method a request names, as an observer may count it (see {@link #observedObject}). */
  String observedMethod(InvokeRequest request) {
    ExposedObject object = objects.get(objectName(request));
    return object != null && object.methods.containsKey(request.getMethod())
        ? request.getMethod() : CallObserver.Call.UNKNOWN;
  }

  /** The object a request names: the default object when it names none. */
  String objectName(InvokeRequest request) {
    return request.getObject().isEmpty() ? defaultObject : request.getObject();
  }

  /** The object exposed as {@code objectName}, or NO_SUCH_OBJECT listing those there are. */
  ExposedObject object(String objectName) throws CallException {
    ExposedObject object = objects.get(objectName);
    if (object == null) {
      throw new CallException(ErrorReason.NO_SUCH_OBJECT, "no object '" + objectName
          + "' on this server; it exposes " + String.join(", ", objects.keySet()));
    }
    return object;
  }

  /** The serializer of the request's payload; json for the ListValue form. */
  Serializer serializerOf(InvokeRequest request) throws CallException {
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

  /**
   * The method the request names and its arguments. A method that is not overloaded and takes
   * only scalars has its arguments read straight into its parameters; everything else, and any
   * request that path does not take as it is, goes through the argument trees and overload
   * resolution, which also explain every failure.
   */
  private ExposedObject.Call call(String objectName, ExposedObject object, InvokeRequest request,
      Serializer serializer) throws CallException {
    if (request.hasPayload() && request.getParameterTypesCount() == 0) {
      ExposedMethod only = object.only(request.getMethod());
      Serializer.ArgumentPlan plan = only == null || only.carriesReferences ? null
          : only.plan(serializer);
      if (plan != null) {
        Object[] args = serializer.readArguments(request.getPayload().getData(), plan);
        if (args != null) {
          return new ExposedObject.Call(only, args);
        }
      }
    }
    List<Object> args = arguments(objectName, request, serializer);
    return object.resolve(request.getMethod(), request.getParameterTypesList(), args, serializer);
  }

  private List<Object> arguments(String objectName, InvokeRequest request, Serializer serializer)
      throws CallException {
    try {
      if (request.hasPayload()) {
        return serializer.readArguments(request.getPayload().getData());
      }
      return JsonValues.arguments(request.getArgs(), limits.maxArguments(), limits.maxDepth(),
          limits.maxStringLength());
    } catch (IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "bad arguments for " + objectName + "." + request.getMethod() + ": "
              + e.getMessage());
    }
  }

  /**
   * What {@code Describe} answers: every object, or the one the request names.
   *
   * @throws CallException NO_SUCH_OBJECT for a name the server does not expose
   */
  DescribeResponse describe(DescribeRequest request) throws CallException {
    DescribeResponse.Builder d = DescribeResponse.newBuilder()
        .setDefaultObject(defaultObject)
        .addAllSerializers(serializers.names());
    if (request.getObject().isEmpty()) {
      objects.values().forEach(o -> d.addObjects(o.describe()));
    } else {
      d.addObjects(object(request.getObject()).describe());
    }
    return d.build();
  }
}
