package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream whose reader takes nothing is ended after the stall timeout and its source closed, so
 * that what the server buffered for it does not wait for the connection to close.
 */
class StreamStallTest {
  private static final long WAIT_SECONDS = 10;

  /** Endless items of 64 KiB; knows when it is closed. */
  public static final class Endless implements Iterator<String>, AutoCloseable {
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public String next() {
      return "x".repeat(64 * 1024);
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** The object served. */
  public static final class Source {
    final Endless endless = new Endless();

    public Iterator<String> items() {
      return endless;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aReaderThatTakesNothingHasItsStreamEndedAndSourceClosed(Transport transport)
      throws Exception {
    Source source = new Source();
    try (Transport.Served served = transport.start(IpcServer.builder().expose("source", source)
        .streamStallTimeout(Duration.ofMillis(300)))) {
      ManagedChannel channel = served.channel();
      try {
        ClientCall<InvokeRequest, InvokeResponse> call = channel.newCall(
            InvokeServiceGrpc.getInvokeStreamMethod(), CallOptions.DEFAULT);
        BlockingQueue<Status> closed = new LinkedBlockingQueue<>();
        call.start(new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.add(status);
          }
        }, new Metadata());
        call.sendMessage(InvokeRequest.newBuilder().setObject("source").setMethod("items")
            .setArgs(ListValue.getDefaultInstance()).build());
        call.halfClose(); // and never asks for an item

        assertTrue(source.endless.closed.await(WAIT_SECONDS, TimeUnit.SECONDS),
            "the stalled stream's source stays open");
        call.request(Integer.MAX_VALUE);
        Status status = closed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(status, "the stalled stream stays open");
        // Reset, not closed: what was buffered for the reader is dropped, not delivered first.
        assertEquals(Status.Code.CANCELLED, status.getCode(), status.toString());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }
}
