package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Overloads are chosen by arity, then parameter_types, then argument fit; the rest is an error. */
class OverloadTest {
  /** Set when {@link Tripwire} is initialized, which must never happen. */
  static final AtomicBoolean TRIPWIRE_LOADED = new AtomicBoolean();

  /** A class a hostile request names in parameter_types; loading it would set the flag. */
  static final class Tripwire {
    static {
      TRIPWIRE_LOADED.set(true);
    }

    private Tripwire() {}
  }

  /** The overloaded object. */
  public static final class Adder {
    public String add(int a, int b) {
      return "int " + (a + b);
    }

    public String add(double a, double b) {
      return "double " + (a + b);
    }

    public String add(String a, String b) {
      return "String " + a + b;
    }

    public String add(int a, int b, int c) {
      return "int3 " + (a + b + c);
    }

    public String size(byte[] data) {
      return "bytes " + data.length;
    }

    public String size(String text) {
      return "text " + text.length();
    }

    public String pick(List<String> items) {
      return "list " + items;
    }

    public String pick(Set<String> items) {
      return "set " + items;
    }

    public String maybe(String s) {
      return "String " + s;
    }

    public String maybe(Integer i) {
      return "Integer " + i;
    }
  }

  /** Declares one overload; {@link Sized} adds the other. */
  public interface Bytes {
    String size(byte[] data);
  }

  /** The proxy must send parameter_types for both, though each interface declares one. */
  public interface Sized extends Bytes {
    String size(String text);

    String add(int a, int b);

    String add(double a, double b);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void arityThenFit(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      RemoteObject adder = client.getExposedObject("adder");
      assertEquals("int 3", adder.call("add", 1, 2));
      assertEquals("int3 6", adder.call("add", 1, 2, 3));
      assertEquals("double 3.5", adder.call("add", 1.5, 2));
      assertEquals("String 12", adder.call("add", "1", "2"));
      assertEquals("String ab", adder.call("add", "a", "b"));
      assertEquals("text 4", adder.call("size", "AAEC"));
      assertEquals("String x", adder.call("maybe", "x"));
      assertEquals("Integer 7", adder.call("maybe", 7));

      IpcNoSuchMethodException arity = assertThrows(IpcNoSuchMethodException.class,
          () -> adder.call("add", 1));
      assertEquals("no method 'add' with 1 argument on object 'adder'; it has add(String a,"
          + " String b), add(double a, double b), add(int a, int b), add(int a, int b, int c)"
          + " (they take 2 or 3 arguments) ("
          + served.call("adder", "add") + ")", arity.getMessage());

      IpcBadArgumentsException fitsNone = assertThrows(IpcBadArgumentsException.class,
          () -> adder.call("add", Map.of("a", 1), Map.of("b", 2)));
      assertEquals(Status.Code.INVALID_ARGUMENT, fitsNone.getStatusCode());
      assertEquals(ErrorReason.BAD_ARGUMENTS, fitsNone.getReason());
      String prefix = "arguments fit no overload of adder.add; it has add(String a, String b),"
          + " add(double a, double b), add(int a, int b) (first: argument 1 ('a') of adder.";
      assertEquals(prefix, fitsNone.getMessage().substring(0, prefix.length()));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void ambiguityNamesTheCandidates(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      RemoteObject adder = client.getExposedObject("adder");
      IpcBadArgumentsException pick = assertThrows(IpcBadArgumentsException.class,
          () -> adder.call("pick", List.of("a")));
      assertEquals("ambiguous call of adder.pick: pick(List<String> items), pick(Set<String>"
          + " items) all fit; send parameter_types to pick one (" + served.call("adder", "pick")
          + ")", pick.getMessage());
      assertEquals(Status.Code.INVALID_ARGUMENT, pick.getStatusCode());
      assertEquals(ErrorReason.BAD_ARGUMENTS, pick.getReason());

      IpcBadArgumentsException maybe = assertThrows(IpcBadArgumentsException.class,
          () -> adder.call("maybe", (Object) null));
      assertEquals("ambiguous call of adder.maybe: maybe(Integer i), maybe(String s) all fit;"
          + " send parameter_types to pick one (" + served.call("adder", "maybe") + ")",
          maybe.getMessage());

      assertEquals("set [a]", adder.invoke(String.class, "pick", List.of("java.util.Set"),
          List.of("a")));
      assertEquals("String null", adder.invoke(String.class, "maybe", List.of("String"),
          (Object) null));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void parameterTypesPickTheOverload(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        InvokeServiceGrpc.InvokeServiceBlockingStub stub = InvokeServiceGrpc
            .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertEquals("int 3", answer(stub, "add", List.of("int", "int"), number(1), number(2)));
        assertEquals("double 3.0",
            answer(stub, "add", List.of("double", "double"), number(1), number(2)));
        assertEquals("String 12", answer(stub, "add",
            List.of("java.lang.String", "java.lang.String"), number(1), number(2)));
        assertEquals("String 12",
            answer(stub, "add", List.of("String", " String "), number(1), number(2)));
        assertEquals("bytes 3", answer(stub, "size", List.of("byte[]"), text("AAEC")));
        assertEquals("bytes 3", answer(stub, "size", List.of("[B"), text("AAEC")));
        assertEquals("text 4", answer(stub, "size", List.of("String"), text("AAEC")));
        assertEquals("set [a, b]", answer(stub, "pick", List.of("java.util.Set<java.lang.String>"),
            Value.newBuilder().setListValue(ListValue.newBuilder()
                .addValues(text("a")).addValues(text("b"))).build()));

        for (String gadget : List.of("java.lang.Runtime", "java.lang.ProcessBuilder",
            Tripwire.class.getName(), "com.example.DoesNotExist")) {
          com.google.rpc.Status status = ErrorTableTest.raw(channel,
              request("size", List.of(gadget), text("AAEC")));
          assertEquals(Status.Code.INVALID_ARGUMENT.value(), status.getCode());
          assertEquals("parameter_types [" + gadget + "] match no overload of adder.size; it has"
              + " size(String text), size(byte[] data)", status.getMessage());
          assertEquals("BAD_ARGUMENTS", ErrorTableTest.errorInfo(status).getReason());
        }
        assertFalse(TRIPWIRE_LOADED.get(), "a class named in parameter_types was loaded");
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void proxiesPickTheOverloadTheInterfaceCalls(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient json = served.client().build();
        IpcClient cbor = served.client().serializer("cbor").build()) {
      for (IpcClient client : List.of(json, cbor)) {
        Sized sized = client.getExposedObject("adder", Sized.class);
        assertEquals("bytes 3", sized.size(new byte[] {0, 1, 2}));
        assertEquals("text 4", sized.size("AAEC"));
        assertEquals("int 3", sized.add(1, 2));
        assertEquals("double 3.0", sized.add(1.0, 2.0));
      }
      // Bytes declares one size(), so its proxy sends no parameter_types and the server goes by
      // fit: JSON carries bytes as base64 text, which fits size(String) best; CBOR as bytes.
      assertEquals("text 4", json.getExposedObject("adder", Bytes.class).size(new byte[3]));
      assertEquals("bytes 3", cbor.getExposedObject("adder", Bytes.class).size(new byte[3]));
    }
  }

  private static Transport.Served serve(Transport transport) throws Exception {
    return transport.start(IpcServer.builder().expose("adder", new Adder()));
  }

  private static String answer(InvokeServiceGrpc.InvokeServiceBlockingStub stub, String method,
      List<String> types, Value... args) {
    return stub.invoke(request(method, types, args)).getValue().getStringValue();
  }

  private static InvokeRequest request(String method, List<String> types, Value... args) {
    return InvokeRequest.newBuilder().setObject("adder").setMethod(method)
        .addAllParameterTypes(types)
        .setArgs(ListValue.newBuilder().addAllValues(List.of(args))).build();
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
