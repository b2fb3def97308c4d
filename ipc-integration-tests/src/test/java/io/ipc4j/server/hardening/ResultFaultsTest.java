package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.server.IpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A result that cannot be serialized is answered with INTERNAL and RESULT_NOT_SERIALIZABLE, in
 * every form a request may take, and the server goes on serving.
 */
class ResultFaultsTest {

  /** Results of every kind that cannot be written. */
  public static final class Results {
    public Faulty faulty() {
      return new Faulty();
    }

    public Loop loop() {
      return new Loop();
    }

    /** Deeper than the default maxDepth (64). */
    public Object deep() {
      Object value = List.of();
      for (int i = 0; i < 100; i++) {
        value = List.of(value);
      }
      return value;
    }

    public int add(int a, int b) {
      return a + b;
    }
  }

  /** Its getter throws. */
  public static final class Faulty {
    public String getValue() {
      throw new UnsupportedOperationException("no value today");
    }
  }

  /** Refers to itself. */
  public static final class Loop {
    public Loop getSelf() {
      return this;
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void unserializableResultsAreResultNotSerializableAndTheServerGoesOn(Net net)
      throws Exception {
    try (Net.Served served = net.start(IpcServer.builder().expose("results", new Results()));
        IpcClient json = served.client().name("results").build();
        IpcClient cbor = served.client().name("results").serializer("cbor").build()) {
      ManagedChannel channel = served.channel();
      try {
        List<String> seen = new ArrayList<>();
        for (String method : List.of("faulty", "loop", "deep")) {
          for (IpcClient client : List.of(json, cbor)) {
            IpcException e = assertThrows(IpcException.class,
                () -> client.getExposedObject().call(method), method);
            assertEquals(IpcException.class, e.getClass(), method);
            assertEquals(Status.Code.INTERNAL, e.getStatusCode(), method);
            assertEquals(ErrorReason.RESULT_NOT_SERIALIZABLE, e.getReason(), method);
            assertTrue(e.getMessage().startsWith("the result of results." + method
                + " cannot be sent: "), e.getMessage());
            assertEquals(5L, client.getExposedObject().call("add", 2, 3), "after " + method);
          }
          InvokeRequest list = InvokeRequest.newBuilder().setObject("results").setMethod(method)
              .setArgs(ListValue.getDefaultInstance()).build();
          Raw.Outcome raw = Raw.invoke(channel, list, Duration.ofSeconds(10));
          assertEquals(Status.Code.INTERNAL, raw.code(), raw.toString());
          assertEquals("ipc4j:RESULT_NOT_SERIALIZABLE", raw.reason(), raw.toString());
          seen.add(method + ": " + raw.description());
        }
        seen.forEach(s -> System.out.println("FAULT-RESULT " + net + " " + s));
        assertEquals(5L, json.getExposedObject().call("add", 2, 3));
        assertTrue(json.serverAvailable());
      } finally {
        Net.shutdown(channel);
      }
    }
  }
}
