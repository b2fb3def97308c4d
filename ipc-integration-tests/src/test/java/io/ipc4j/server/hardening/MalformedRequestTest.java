package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.server.IpcServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request that is not a valid {@code InvokeRequest} never reaches ipc4j: grpc-java fails to
 * parse it. What it answers today, and what docs/errors.md's table asks for.
 */
class MalformedRequestTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  /** Not protobuf: a tag with wire type 7, which does not exist. */
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, 1, 2, 3};

  @ParameterizedTest
  @EnumSource(Net.class)
  void unparseableRequestsAreRefusedAndTheServerGoesOn(Net net) throws Exception {
    try (LogCounter logs = new LogCounter("io.grpc.internal.SerializingExecutor");
        Net.Served served = net.start(IpcServer.builder().expose("t", new HostileTarget()))) {
      ManagedChannel channel = served.channel();
      try {
        Raw.Outcome outcome = Raw.invoke(channel, GARBAGE, DEADLINE);
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.code(), outcome.toString());
        assertEquals("malformed request: not an ipc.v1.InvokeRequest (Protocol message tag had"
            + " invalid wire type.)", outcome.description());
        assertEquals("ipc4j:BAD_ARGUMENTS", outcome.reason());
        assertEquals(Map.of(), logs.counts(), "nothing logged for malformed input");
        Raw.Outcome good = Raw.invoke(channel, HostileRequests.listRequest("t", "add",
            List.of(), HostileRequests.num(1), HostileRequests.num(2)), DEADLINE);
        assertEquals(3, (int) good.invokeResponse().getValue().getNumberValue());
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  /** Takes java.time values, whose Jackson deserializers throw more than Jackson's own errors. */
  public static final class Clock {
    public String when(Instant instant) {
      return instant.toString();
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void argumentsThatBreakAJacksonDeserializerAreInvalidArgument(Net net) throws Exception {
    try (LogCounter logs = new LogCounter("io.grpc.internal.SerializingExecutor");
        Net.Served served = net.start(IpcServer.builder().expose("clock", new Clock()))) {
      ManagedChannel channel = served.channel();
      try {
        Raw.Outcome huge = Raw.invoke(channel, HostileRequests.listRequest("clock", "when",
            List.of(), HostileRequests.num(1e20)), DEADLINE);
        Raw.Outcome bytes = Raw.invoke(channel, HostileRequests.payloadRequest("clock", "when",
            List.of(), "cbor", new byte[] {(byte) 0x81, 0x42, 'h', 'i'}), DEADLINE);
        assertEquals(Status.Code.INVALID_ARGUMENT, huge.code(), huge.toString());
        assertEquals(Status.Code.INVALID_ARGUMENT, bytes.code(), bytes.toString());
        assertEquals(Map.of(), logs.counts());
      } finally {
        Net.shutdown(channel);
      }
    }
  }
}
