package io.ipc4j.server.hardening;

import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Raw calls of {@code ipc.v1.InvokeService/Invoke}: the request goes as the exact bytes a test
 * made (valid protobuf or not), and the answer comes back as its status, ipc4j reason and bytes.
 */
final class Raw {
  /** Invoke with bytes in and bytes out, so that a test can send what no stub would. */
  static final MethodDescriptor<byte[], byte[]> INVOKE_BYTES =
      MethodDescriptor.<byte[], byte[]>newBuilder(Bytes.INSTANCE, Bytes.INSTANCE)
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(InvokeServiceGrpc.getInvokeMethod().getFullMethodName())
          .build();

  private Raw() {}

  /** What one call came back with. */
  record Outcome(Status.Code code, String description, String reason, byte[] response,
      long nanos) {

    /** The response, for an OK outcome. */
    InvokeResponse invokeResponse() {
      try {
        return InvokeResponse.parseFrom(response);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    long millis() {
      return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public String toString() {
      return code + (reason.isEmpty() ? "" : "/" + reason) + ": " + description + " ("
          + millis() + " ms)";
    }
  }

  /** Sends {@code request} as its protobuf bytes. */
  static Outcome invoke(Channel channel, InvokeRequest request, Duration deadline) {
    return invoke(channel, request.toByteArray(), deadline);
  }

  /** Sends {@code bytes} as the Invoke request message, whatever they are. */
  static Outcome invoke(Channel channel, byte[] bytes, Duration deadline) {
    long start = System.nanoTime();
    try {
      byte[] response = ClientCalls.blockingUnaryCall(channel, INVOKE_BYTES,
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS), bytes);
      return new Outcome(Status.Code.OK, "", "", response, System.nanoTime() - start);
    } catch (StatusRuntimeException e) {
      long nanos = System.nanoTime() - start;
      com.google.rpc.Status details = StatusProto.fromThrowable(e);
      ErrorInfo info = details == null ? null : RemoteErrors.errorInfo(details);
      return new Outcome(e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()),
          info == null ? "" : info.getDomain() + ":" + info.getReason(), null, nanos);
    }
  }

  /** Passes bytes through as they are. */
  enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
