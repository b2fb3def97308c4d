package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnauthenticatedException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.SessionRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension used as users use it: configuration, clients, proxies, the real error path. */
class IpcExtensionTest {
  private static final List<String> serializersSeen = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static IpcExtension ipc = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class)
      .expose("thrower", new Thrower());

  @RegisterExtension
  static IpcExtension guarded = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class)
      .token("s3cret")
      .serializer("cbor")
      .configureServer(b -> b.intercept(new SerializerRecorder()));

  @RegisterExtension
  static IpcExtension bigTrailers = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class)
      .configureServer(b -> b.intercept(new HugeTrailer()))
      // A session's answers travel as messages: only a call of its own ends with trailers.
      .configureClient(b -> b.sessions(false));

  private static final List<String> methodsSeen = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static IpcExtension recorded = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class)
      .configureServer(b -> b.intercept(new MethodRecorder()));

  @RegisterExtension
  static IpcExtension impatient = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class)
      .deadline(Duration.ofMillis(200));

  /** Throws exceptions too big for 8 KiB of trailers, unless the server bounds them. */
  public static final class Thrower {
    public void deep(int depth) {
      if (depth > 0) {
        deep(depth - 1);
        return;
      }
      IllegalStateException e = new IllegalStateException("x".repeat(100_000),
          new RuntimeException("y".repeat(50_000)));
      for (int i = 0; i < 50; i++) {
        e.addSuppressed(new IllegalArgumentException("suppressed " + i + " " + "z".repeat(1000)));
      }
      throw e;
    }

    public int overflow(int n) {
      return overflow(n + 1) + 1;
    }
  }

  @Test
  void proxyCallsTheDefaultObject() {
    assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
    assertEquals("calc", ipc.server().name());
  }

  @Test
  void clientsSendCallsOnASessionUnlessConfiguredNotTo() {
    methodsSeen.clear();
    assertEquals(3, recorded.proxy(Calc.class).add(1, 2));
    assertEquals(5, recorded.proxy(Calc.class).add(2, 3));
    assertEquals(List.of("ipc.v1.InvokeService/Session"), methodsSeen);

    methodsSeen.clear();
    IpcClient plain = recorded.newClient(b -> b.sessions(false));
    assertEquals(3, plain.getExposedObject(Calc.class).add(1, 2));
    assertEquals(List.of("ipc.v1.InvokeService/Invoke"), methodsSeen);
  }

  @Test
  void proxyByNameAndDynamicCallsReachTheirObject() {
    assertEquals(7, ipc.proxy("calc", Calc.class).add(3, 4));
    assertEquals(9, ipc.client().getExposedObject("calc").call(Integer.class, "add", 4, 5));
  }

  @Test
  void runsTheRealServerAndClientInProcess() {
    assertTrue(ipc.server().isRunning());
    assertEquals(-1, ipc.server().port());
    assertEquals("in-process:" + ipc.inProcessName(), ipc.client().target());
    assertEquals("calc", ipc.client().name());
    assertTrue(ipc.client().serverAvailable());
    assertSame(ipc.client(), ipc.client());
  }

  @Test
  void newClientIsAnotherConnectionToTheSameServer() {
    IpcClient other = ipc.newClient();
    assertNotSame(ipc.client(), other);
    assertEquals(11, other.getExposedObject(Calc.class).add(5, 6));
  }

  @Test
  void tokenAndSerializerApplyToServerAndClients() {
    serializersSeen.clear();
    assertEquals(3, guarded.proxy(Calc.class).add(1, 2));
    assertEquals(List.of("cbor"), serializersSeen);

    IpcClient intruder = guarded.newClient(b -> b.token("wrong"));
    IpcUnauthenticatedException e = assertThrows(IpcUnauthenticatedException.class,
        () -> intruder.getExposedObject(Calc.class).add(1, 2));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatusCode());
  }

  @Test
  void faultsKeepTheClientsToken() {
    guarded.faults().next().unavailable();
    IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
        () -> guarded.proxy(Calc.class).add(1, 2));
    assertEquals("unavailable: fault injected by IpcExtension.faults() (calc.add at in-process:"
        + guarded.inProcessName() + ")", e.getMessage());
    assertEquals(3, guarded.proxy(Calc.class).add(1, 2));
  }

  @Test
  void deadlineAppliesToTheClients() {
    impatient.faults().next().delay(Duration.ofSeconds(30));
    long start = System.nanoTime();
    assertThrows(IpcDeadlineExceededException.class,
        () -> impatient.proxy(Calc.class).add(1, 2));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
  }

  @Test
  void hugeRemoteTracebackArrivesBoundedByTheServer() {
    IpcRemoteException e = assertThrows(IpcRemoteException.class,
        () -> ipc.client().getExposedObject("thrower").call("deep", 500));
    assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
    assertTrue(e.getRemoteMessage().startsWith("xxxxxxxx"), e.getRemoteMessage());
    assertTrue(e.getRemoteMessage().endsWith("…"), e.getRemoteMessage());
    assertTrue(e.getRemoteMessage().length() < 100_000);
    assertTrue(e.getRemoteTraceback().startsWith("java.lang.IllegalStateException: xxxx"));
    assertTrue(e.getRemoteTraceback().contains(" more"), e.getRemoteTraceback());
  }

  @Test
  void stackOverflowErrorArrivesReadable() {
    IpcRemoteException e = assertThrows(IpcRemoteException.class,
        () -> ipc.client().getExposedObject("thrower").call("overflow", 0));
    assertEquals("java.lang.StackOverflowError", e.getRemoteClassName());
    assertTrue(e.getRemoteStackTrace().length > 0);
    assertTrue(e.getRemoteTraceback().contains("Thrower.overflow"), e.getRemoteTraceback());
  }

  @Test
  void inProcessClientRejectsTrailersOver8KibAsANetworkClientDoes() {
    IpcException e = assertThrows(IpcException.class,
        () -> bigTrailers.proxy(Calc.class).add(1, 2));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatusCode(), e.getMessage());
  }

  @Test
  void configuringWhileRunningIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ipc.expose("late", new CountingCalc()));
    assertEquals("IpcExtension is already serving (in-process " + ipc.inProcessName()
        + "); configure it where it is declared, before it starts", e.getMessage());
  }

  @Test
  void usingItWhenNotRunningSaysHowToRegisterIt() {
    IpcExtension idle = IpcExtension.inProcess().expose(new CountingCalc());
    IllegalStateException e = assertThrows(IllegalStateException.class, idle::client);
    assertEquals("IpcExtension is not running: register it with @RegisterExtension and use it"
        + " during a test (a static field serves the whole class, an instance field each test)",
        e.getMessage());
    assertThrows(IllegalStateException.class, idle::server);
    assertThrows(IllegalStateException.class, idle::faults);
    assertThrows(IllegalStateException.class, () -> idle.proxy(Calc.class));
    assertEquals("IpcExtension{not running}", idle.toString());
  }

  @Test
  void badConfigurationFailsAtOnceInTheBuildersWords() {
    IpcExtension e = IpcExtension.inProcess();
    assertEquals("object == null",
        assertThrows(NullPointerException.class, () -> e.expose(null)).getMessage());
    assertEquals("name must not be blank", assertThrows(IllegalArgumentException.class,
        () -> e.expose(" ", new CountingCalc())).getMessage());
    assertEquals("io.ipc4j.testkit.CountingCalc is not an interface", assertThrows(
        IllegalArgumentException.class,
        () -> e.expose("calc", new CountingCalc(), CountingCalc.class)).getMessage());
    assertEquals("unknown serializer 'xml'; known: json, cbor",
        assertThrows(IllegalArgumentException.class, () -> e.serializer("xml")).getMessage());
    assertEquals("deadline must be positive, was PT0S", assertThrows(
        IllegalArgumentException.class, () -> e.deadline(Duration.ZERO)).getMessage());
    assertEquals("token must not be blank",
        assertThrows(IllegalArgumentException.class, () -> e.token("")).getMessage());
    assertEquals("shutdownTimeout must not be negative, was PT-1S", assertThrows(
        IllegalArgumentException.class,
        () -> e.shutdownTimeout(Duration.ofSeconds(-1))).getMessage());
    assertEquals("customizer == null",
        assertThrows(NullPointerException.class, () -> e.configureServer(null)).getMessage());
  }

  /** Records the serializer of each payload request. */
  private static final class SerializerRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onMessage(Q message) {
          if (message instanceof InvokeRequest r) {
            serializersSeen.add(r.getPayload().getSerializer());
          } else if (message instanceof SessionRequest r && r.hasCall()) {
            serializersSeen.add(r.getCall().getRequest().getPayload().getSerializer());
          }
          super.onMessage(message);
        }
      };
    }
  }

  /** Records the method of every call the server gets. */
  private static final class MethodRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      methodsSeen.add(call.getMethodDescriptor().getFullMethodName());
      return next.startCall(call, headers);
    }
  }

  /** Adds 16 KiB to the trailers of every call, more than a Netty client accepts. */
  private static final class HugeTrailer implements ServerInterceptor {
    private static final Metadata.Key<String> BIG =
        Metadata.Key.of("x-big", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          trailers.put(BIG, "b".repeat(16 * 1024));
          super.close(status, trailers);
        }
      }, headers);
    }
  }
}
