package io.ipc4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call that grpc's channel refuses with "Resolution is pending" is started once more. */
class ResolutionRaceRetryTest {
  /** A channel whose first calls fail to start with the given messages. */
  private static final class Refusing extends Channel {
    final List<String> failures;
    final List<Recorded> calls = new ArrayList<>();

    Refusing(String... failures) {
      this.failures = new ArrayList<>(List.of(failures));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      Recorded call = new Recorded(failures.isEmpty() ? null : failures.remove(0));
      calls.add(call);
      return (ClientCall<Q, R>) call;
    }

    @Override
    public String authority() {
      return "fake";
    }
  }

  private static final class Recorded extends ClientCall<InvokeRequest, InvokeResponse> {
    final String failure;
    Listener<InvokeResponse> listener;

    Recorded(String failure) {
      this.failure = failure;
    }

    @Override
    public void start(Listener<InvokeResponse> listener, Metadata headers) {
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      this.listener = listener;
    }

    @Override
    public void request(int n) {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public void halfClose() {}

    @Override
    public void sendMessage(InvokeRequest message) {}
  }

  private static final ClientCall.Listener<InvokeResponse> LISTENER = new ClientCall.Listener<>() {};

  @Test
  void aCallRefusedWhileResolutionIsPendingStartsOnceMore() {
    Refusing channel = new Refusing("Resolution is pending");
    ClientCall<InvokeRequest, InvokeResponse> call = new ResolutionRaceRetry(channel)
        .newCall(InvokeServiceGrpc.getInvokeMethod(), CallOptions.DEFAULT);

    call.start(LISTENER, new Metadata());

    assertEquals(2, channel.calls.size());
    assertSame(LISTENER, channel.calls.get(1).listener, "the second call got the listener");
  }

  @Test
  void anyOtherRefusalIsThrown() {
    Refusing channel = new Refusing("something else");
    ClientCall<InvokeRequest, InvokeResponse> call = new ResolutionRaceRetry(channel)
        .newCall(InvokeServiceGrpc.getInvokeMethod(), CallOptions.DEFAULT);

    assertEquals("something else", assertThrows(IllegalStateException.class,
        () -> call.start(LISTENER, new Metadata())).getMessage());
    assertEquals(1, channel.calls.size());
  }

  @Test
  void aSecondRefusalIsThrown() {
    Refusing channel = new Refusing("Resolution is pending", "Resolution is pending");
    ClientCall<InvokeRequest, InvokeResponse> call = new ResolutionRaceRetry(channel)
        .newCall(InvokeServiceGrpc.getInvokeMethod(), CallOptions.DEFAULT);

    assertThrows(IllegalStateException.class, () -> call.start(LISTENER, new Metadata()));
    assertEquals(2, channel.calls.size());
  }
}
