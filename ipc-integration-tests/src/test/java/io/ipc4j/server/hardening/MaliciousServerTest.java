package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.core.Limits;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.proto.v1.RemoteError;
import io.ipc4j.proto.v1.StackFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A malicious server, written with the generated {@code InvokeServiceImplBase}, answers an
 * IpcClient's proxy with what it likes. The client must rebuild a remote exception only as a
 * type the called method declares, never load a class the server names, and stay bounded by its
 * deadline, the 8 KiB trailer limit, its message size and its nesting depth.
 */
class MaliciousServerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final Limits CLIENT_LIMITS = Limits.defaults().withMaxDepth(8);

  /** A checked exception the victim's methods declare. */
  public static final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApiException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What the client believes the server offers. */
  public interface Victim {
    String declared() throws ApiException;

    String undeclared() throws ApiException;

    String causeChain() throws ApiException;

    String hugeTrailers() throws ApiException;

    String silent();

    Object javaPayload();

    Object deep();

    Object hinted();

    HostileTarget.Shape shape();

    String huge();

    String foreignDomain() throws ApiException;
  }

  /** Answers each method of Victim with an attack. */
  private static final class Fake extends InvokeServiceGrpc.InvokeServiceImplBase {
    final List<StreamObserver<InvokeResponse>> silent = new ArrayList<>();

    @Override
    public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> responses) {
      switch (request.getMethod()) {
        case "declared" -> responses.onError(remote(error(ApiException.class.getName(),
            "declared failure"), "ipc4j", ""));
        case "undeclared" -> responses.onError(remote(error(GadgetFlags.ERROR_GADGET,
            "I am a gadget"), "ipc4j", ""));
        case "causeChain" -> responses.onError(remote(error("java.lang.IllegalStateException",
                "outer").toBuilder().setCause(error(GadgetFlags.ERROR_GADGET, "inner"))
            .addSuppressed(error("javax.script.ScriptEngineManager", "suppressed")).build(),
            "ipc4j", ""));
        case "hugeTrailers" -> responses.onError(remote(error(ApiException.class.getName(),
            "big"), "ipc4j", "x".repeat(100_000)));
        case "silent" -> {
          synchronized (silent) {
            silent.add(responses); // never answered
          }
        }
        case "javaPayload" -> answer(responses, "java", javaSerialized());
        case "deep" -> answer(responses, "json", "[".repeat(20) + "]".repeat(20));
        case "hinted" -> answer(responses, "json",
            "{\"@class\":\"" + GadgetFlags.HINT_GADGET + "\",\"x\":1}");
        case "shape" -> answer(responses, "json",
            "{\"@class\":\"" + GadgetFlags.HINT_GADGET + "\"}");
        case "huge" -> answer(responses, "json", "\"" + "x".repeat(5 * 1024 * 1024) + "\"");
        case "foreignDomain" -> responses.onError(remote(error(GadgetFlags.ERROR_GADGET,
            "foreign"), "evil.example", ""));
        default -> responses.onError(Status.UNIMPLEMENTED.asRuntimeException());
      }
    }

    void release() {
      synchronized (silent) {
        silent.forEach(s -> s.onError(Status.CANCELLED.asRuntimeException()));
        silent.clear();
      }
    }

    private static void answer(StreamObserver<InvokeResponse> responses, String serializer,
        Object data) {
      ByteString bytes = data instanceof byte[] b ? ByteString.copyFrom(b)
          : ByteString.copyFrom(((String) data).getBytes(StandardCharsets.UTF_8));
      responses.onNext(InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
          .setSerializer(serializer).setData(bytes)).build());
      responses.onCompleted();
    }

    private static RemoteError error(String className, String message) {
      return RemoteError.newBuilder().setClassName(className).setMessage(message)
          .addFrames(StackFrame.newBuilder().setClassName(className).setMethodName("<clinit>")
              .setFileName("Evil.java").setLineNumber(1))
          .build();
    }

    private static RuntimeException remote(RemoteError error, String domain, String debug) {
      com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
          .setCode(Status.Code.UNKNOWN.value())
          .setMessage("victim threw " + error.getClassName())
          .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("REMOTE_EXCEPTION")
              .setDomain(domain).build()));
      if (!debug.isEmpty()) {
        status.addDetails(Any.pack(DebugInfo.newBuilder().setDetail(debug).build()));
      }
      return StatusProto.toStatusRuntimeException(status.addDetails(Any.pack(error)).build());
    }

    private static byte[] javaSerialized() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(new HashMap<>(Map.of("k", "v")));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return bytes.toByteArray();
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void aMaliciousServerCannotMakeTheClientLoadClassesOrHang(Net net) throws Exception {
    Fake fake = new Fake();
    String inProcess = "malicious-" + UUID.randomUUID();
    Server server = (net == Net.TCP
        ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        : InProcessServerBuilder.forName(inProcess)).addService(fake).build().start();
    IpcClient.Builder builder = IpcClient.builder().name("victim").deadline(DEADLINE)
        .limits(CLIENT_LIMITS);
    builder = net == Net.TCP ? builder.host("127.0.0.1").port(server.getPort())
        : builder.inProcess(inProcess);
    try (ClassLoadLog classLoads = ClassLoadLog.start(); IpcClient client = builder.build()) {
      Victim victim = client.getExposedObject(Victim.class);

      ApiException declared = assertThrows(ApiException.class, victim::declared);
      assertEquals("declared failure", declared.getMessage());
      assertInstanceOf(IpcRemoteException.class, declared.getCause());

      IpcRemoteException undeclared = assertThrows(IpcRemoteException.class,
          victim::undeclared);
      assertEquals(GadgetFlags.ERROR_GADGET, undeclared.getRemoteClassName());
      assertEquals("I am a gadget", undeclared.getRemoteMessage());

      IpcRemoteException chain = assertThrows(IpcRemoteException.class, victim::causeChain);
      assertEquals("java.lang.IllegalStateException", chain.getRemoteClassName());
      IpcRemoteException cause = assertInstanceOf(IpcRemoteException.class, chain.getCause());
      assertEquals(GadgetFlags.ERROR_GADGET, cause.getRemoteClassName());
      assertEquals("javax.script.ScriptEngineManager",
          ((IpcRemoteException) chain.getSuppressed()[0]).getRemoteClassName());

      long start = System.nanoTime();
      IpcException trailers = assertThrows(IpcException.class, victim::hugeTrailers);
      assertTrue(millisSince(start) < DEADLINE.toMillis(), "trailers took " + millisSince(start));
      assertEquals(IpcException.class, trailers.getClass(), trailers.toString());

      start = System.nanoTime();
      assertThrows(IpcDeadlineExceededException.class, victim::silent);
      long silentMillis = millisSince(start);
      assertTrue(silentMillis >= DEADLINE.toMillis() - 50 && silentMillis < DEADLINE.toMillis()
          + 2_000, "a silent server held the call " + silentMillis + " ms");

      IpcException java = assertThrows(IpcException.class, victim::javaPayload);
      assertEquals(Status.Code.INTERNAL, java.getStatusCode());
      assertTrue(java.getMessage().startsWith("the server answered in serializer 'java', which"
          + " this client does not read"), java.getMessage());

      IpcException deep = assertThrows(IpcException.class, victim::deep);
      assertEquals(Status.Code.INTERNAL, deep.getStatusCode());
      assertTrue(deep.getMessage().startsWith("cannot read the result as java.lang.Object: "),
          deep.getMessage());

      assertEquals(Map.of("@class", GadgetFlags.HINT_GADGET, "x", 1L), victim.hinted());

      IpcException shape = assertThrows(IpcException.class, victim::shape);
      assertEquals(Status.Code.INTERNAL, shape.getStatusCode());

      // Over TCP grpc refuses the message; in-process (unserialized) the serializer's own bound.
      IpcException huge = assertThrows(IpcException.class, victim::huge);
      if (net == Net.TCP) {
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, huge.getStatusCode(), huge.getMessage());
      } else {
        assertEquals(Status.Code.INTERNAL, huge.getStatusCode(), huge.getMessage());
        assertTrue(huge.getMessage().contains("exceeds the maxMessageSize limit (4194304)"),
            huge.getMessage());
      }

      IpcException foreign = assertThrows(IpcException.class, victim::foreignDomain);
      assertEquals(IpcException.class, foreign.getClass(), "a foreign ErrorInfo domain is not"
          + " ipc4j's REMOTE_EXCEPTION");
      assertEquals(Status.Code.UNKNOWN, foreign.getStatusCode());

      System.out.println("MALICIOUS " + net + " hugeTrailers: " + trailers.getStatusCode()
          + " " + trailers.getMessage() + "; silentMillis=" + silentMillis);
      assertEquals(Set.of(), GadgetFlags.initialised(), "gadgets initialised");
      assertEquals(Set.of(), classLoads.loaded(List.of(GadgetFlags.ERROR_GADGET,
          GadgetFlags.HINT_GADGET, "javax.script.ScriptEngineManager")),
          "classes named by the server were loaded");
    } finally {
      fake.release();
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
