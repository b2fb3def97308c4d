package io.ipc4j.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Does what {@code grpcurl -plaintext} does, knowing nothing but the server's address: it learns
 * the services and message types through server reflection ({@code grpc.reflection.v1} or {@code
 * v1alpha}: their messages are the same on the wire, so one set of classes serves both), turns
 * JSON into a request with {@link DynamicMessage}, calls the method with a hand-made gRPC method
 * descriptor and prints the answer as JSON. It uses no class generated from ipc4j's .proto.
 *
 * <p>Every call has a deadline, so a broken server fails a test instead of hanging it.
 */
public final class GrpcurlClient implements AutoCloseable {
  /** The trailer in which a server sends the {@code google.rpc.Status} of a failed call. */
  public static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** The most files one symbol may pull in through imports; guards against a looping server. */
  private static final int MAX_FILES = 100;

  /** The reflection service grpcurl asks first. */
  public static final String REFLECTION_V1 = "grpc.reflection.v1.ServerReflection";
  /** The older reflection service, which grpcurl falls back to; its messages are the same. */
  public static final String REFLECTION_V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

  private final ManagedChannel channel;
  private final Duration deadline;
  private final io.grpc.MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse>
      reflection;
  private final Map<String, FileDescriptor> files = new HashMap<>();

  /**
   * A plaintext client of {@code host:port} that learns types from {@code reflectionService}
   * ({@link #REFLECTION_V1} or {@link #REFLECTION_V1ALPHA}), each call bounded by {@code
   * deadline}.
   */
  public GrpcurlClient(String host, int port, Duration deadline, String reflectionService) {
    this.channel = Grpc.newChannelBuilderForAddress(host, port,
        InsecureChannelCredentials.create()).build();
    this.deadline = deadline;
    this.reflection = io.grpc.MethodDescriptor
        .<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
            reflectionService, "ServerReflectionInfo"))
        .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
        .setResponseMarshaller(
            ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
        .build();
  }

  /** The channel, for stubs of standard services such as health. */
  public ManagedChannel channel() {
    return channel;
  }

  /** {@code grpcurl list}: the full names of the services the server offers. */
  public List<String> listServices() {
    ServerReflectionResponse response =
        reflect(ServerReflectionRequest.newBuilder().setListServices("*").build());
    return response.getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).toList();
  }

  /**
   * The raw descriptors reflection answers for {@code symbol} (a service or message name): the
   * file defining it, and whatever imported files the server sends along, by file name.
   */
  public Map<String, FileDescriptorProto> filesContainingSymbol(String symbol) {
    return fileProtos(reflect(
        ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build()));
  }

  /** The raw descriptors reflection answers for the file {@code name}, such as an import. */
  public Map<String, FileDescriptorProto> filesByName(String name) {
    return fileProtos(reflect(
        ServerReflectionRequest.newBuilder().setFileByFilename(name).build()));
  }

  /**
   * The built descriptor of the file that defines {@code symbol}, with its imports resolved as
   * grpcurl does: those the server did not send along are asked for by file name.
   */
  public FileDescriptor fileOf(String symbol) {
    Map<String, FileDescriptorProto> known = new LinkedHashMap<>(filesContainingSymbol(symbol));
    FileDescriptorProto defining = known.values().stream()
        .filter(f -> defines(f, symbol)).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "reflection answered no file defining '" + symbol + "': " + known.keySet()));
    return build(defining.getName(), known);
  }

  /** {@code grpcurl describe SERVICE}: the service's descriptor. */
  public ServiceDescriptor service(String fullName) {
    ServiceDescriptor service = fileOf(fullName).findServiceByName(simpleName(fullName));
    if (service == null) {
      throw new IllegalStateException("no service '" + fullName + "'");
    }
    return service;
  }

  /**
   * {@code grpcurl -d JSON host:port SERVICE/METHOD} for a unary method: the answer as JSON, as
   * protobuf's JSON printer writes it.
   *
   * @throws StatusRuntimeException when the call fails; see {@link #statusJson}
   * @throws InvalidProtocolBufferException when {@code json} does not fit the request type
   */
  public String invoke(String serviceAndMethod, String json)
      throws InvalidProtocolBufferException {
    int slash = serviceAndMethod.indexOf('/');
    MethodDescriptor method = service(serviceAndMethod.substring(0, slash))
        .findMethodByName(serviceAndMethod.substring(slash + 1));
    if (method == null) {
      throw new IllegalArgumentException("no method " + serviceAndMethod);
    }
    if (method.isClientStreaming() || method.isServerStreaming()) {
      throw new IllegalArgumentException(serviceAndMethod + " is not unary");
    }
    DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
    JsonFormat.parser().merge(json, request);
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel, grpcMethod(method),
        CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS),
        request.build());
    return JsonFormat.printer().print(response);
  }

  /**
   * The {@code google.rpc.Status} of a failed call as JSON, read from the {@code
   * grpc-status-details-bin} trailer: {@code google.rpc} details by their well-known types, any
   * other detail (such as {@code ipc.v1.RemoteError}) by the type reflection describes. Null when
   * the trailer is absent.
   */
  public String statusJson(StatusRuntimeException failure) throws InvalidProtocolBufferException {
    Metadata trailers = Status.trailersFromThrowable(failure);
    byte[] bytes = trailers == null ? null : trailers.get(STATUS_DETAILS);
    if (bytes == null) {
      return null;
    }
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(bytes);
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder()
        .add(ErrorInfo.getDescriptor())
        .add(DebugInfo.getDescriptor());
    for (Any detail : status.getDetailsList()) {
      String type = detail.getTypeUrl().substring(detail.getTypeUrl().lastIndexOf('/') + 1);
      if (!type.startsWith("google.rpc.")) {
        Descriptor message = fileOf(type).findMessageTypeByName(simpleName(type));
        if (message != null) {
          types.add(message);
        }
      }
    }
    return JsonFormat.printer().usingTypeRegistry(types.build()).sortingMapKeys().print(status);
  }

  /** A gRPC method descriptor for {@code method} that marshals {@link DynamicMessage}s. */
  private static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(
      MethodDescriptor method) {
    return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
            method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
        .build();
  }

  private FileDescriptor build(String name, Map<String, FileDescriptorProto> known) {
    FileDescriptor built = files.get(name);
    if (built != null) {
      return built;
    }
    if (known.size() > MAX_FILES) {
      throw new IllegalStateException("more than " + MAX_FILES + " files: " + known.keySet());
    }
    FileDescriptorProto proto = known.get(name);
    if (proto == null) {
      known.putAll(filesByName(name));
      proto = known.get(name);
      if (proto == null) {
        throw new IllegalStateException("reflection answered no file '" + name + "'");
      }
    }
    List<FileDescriptor> imports = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      imports.add(build(dependency, known));
    }
    try {
      built = FileDescriptor.buildFrom(proto, imports.toArray(new FileDescriptor[0]));
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("reflection answered an invalid file '" + name + "'", e);
    }
    files.put(name, built);
    return built;
  }

  private static boolean defines(FileDescriptorProto file, String symbol) {
    String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
    if (!symbol.startsWith(prefix)) {
      return false;
    }
    String name = symbol.substring(prefix.length());
    return file.getServiceList().stream().anyMatch(s -> s.getName().equals(name))
        || file.getMessageTypeList().stream().anyMatch(m -> m.getName().equals(name))
        || file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name));
  }

  private static String simpleName(String fullName) {
    return fullName.substring(fullName.lastIndexOf('.') + 1);
  }

  private static Map<String, FileDescriptorProto> fileProtos(ServerReflectionResponse response) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
        protos.put(proto.getName(), proto);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("reflection answered a malformed file descriptor", e);
      }
    }
    return protos;
  }

  /** One request on the reflection stream, one answer; a reflection error is an exception. */
  private ServerReflectionResponse reflect(ServerReflectionRequest request) {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(reflection, CallOptions.DEFAULT.withDeadlineAfter(
            deadline.toNanos(), TimeUnit.NANOSECONDS)),
        new StreamObserver<ServerReflectionResponse>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new IllegalStateException("reflection answered nothing"));
          }
        });
    requests.onNext(request);
    requests.onCompleted();
    ServerReflectionResponse response;
    try {
      response = answer.get(deadline.toNanos() + TimeUnit.SECONDS.toNanos(1),
          TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw new IllegalStateException("reflection failed for " + request, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("reflection did not answer " + request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking reflection", e);
    }
    if (response.hasErrorResponse()) {
      throw new IllegalStateException("reflection refused " + request + ": "
          + response.getErrorResponse().getErrorMessage());
    }
    return response;
  }

  /** Shuts the channel down and waits for it a little. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("channel still running 5 s after shutdownNow()");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
