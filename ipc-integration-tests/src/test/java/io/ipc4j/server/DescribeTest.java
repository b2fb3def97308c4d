package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchObjectException;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.core.Oneway;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Describe tells everything a client needs: each object and its type, each method with parameter
 * names and generic types, generic return type, declared exceptions, and whether it is oneway or
 * streamed.
 */
class DescribeTest {
  private static final String SELF = DescribeTest.class.getName();

  /** A value class. */
  public record Item(String name, int count) {}

  /** Exposed as an interface: exactly these methods. */
  public interface Catalog {
    List<Item> find(String name, Map<String, List<Integer>> filters) throws IOException;

    @Oneway
    void log(String line);

    Stream<Item> all();

    Iterator<String> names(int max);

    Iterable<Item> page(int from, int size);

    IntStream counts();

    DirectoryStream<String> files();

    CompletableFuture<Item> later(long millis) throws TimeoutException, IOException;

    int size();
  }

  /** Implements Catalog but is exposed by its class: @Oneway still counts, from the interface. */
  public static class CatalogImpl implements Catalog {
    @Override
    public List<Item> find(String name, Map<String, List<Integer>> filters) {
      return List.of();
    }

    @Override
    public void log(String line) {}

    @Override
    public Stream<Item> all() {
      return Stream.empty();
    }

    @Override
    public Iterator<String> names(int max) {
      return List.<String>of().iterator();
    }

    @Override
    public Iterable<Item> page(int from, int size) {
      return List.of();
    }

    @Override
    public IntStream counts() {
      return IntStream.empty();
    }

    @Override
    public DirectoryStream<String> files() {
      return null;
    }

    @Override
    public CompletableFuture<Item> later(long millis) {
      return new CompletableFuture<>();
    }

    @Override
    public int size() {
      return 0;
    }

    /** Only on the class. */
    public java.nio.file.Path home() {
      return null;
    }
  }

  private static final List<RemoteMethod> CATALOG = List.of(
      new RemoteMethod("all", List.of(), List.of(), "java.util.stream.Stream<" + SELF + "$Item>",
          List.of(), false, true),
      new RemoteMethod("counts", List.of(), List.of(), "java.util.stream.IntStream", List.of(),
          false, true),
      new RemoteMethod("files", List.of(), List.of(),
          "java.nio.file.DirectoryStream<java.lang.String>", List.of(), false, true),
      new RemoteMethod("find", List.of("name", "filters"),
          List.of("java.lang.String",
              "java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>"),
          "java.util.List<" + SELF + "$Item>", List.of("java.io.IOException"), false, false),
      new RemoteMethod("later", List.of("millis"), List.of("long"),
          "java.util.concurrent.CompletableFuture<" + SELF + "$Item>",
          List.of("java.util.concurrent.TimeoutException", "java.io.IOException"), false, false),
      new RemoteMethod("log", List.of("line"), List.of("java.lang.String"), "void", List.of(),
          true, false),
      new RemoteMethod("names", List.of("max"), List.of("int"),
          "java.util.Iterator<java.lang.String>", List.of(), false, true),
      new RemoteMethod("page", List.of("from", "size"), List.of("int", "int"),
          "java.lang.Iterable<" + SELF + "$Item>", List.of(), false, true),
      new RemoteMethod("size", List.of(), List.of(), "int", List.of(), false, false));

  private static Transport.Served serve(Transport transport) throws IOException {
    return transport.start(IpcServer.builder()
        .expose("catalog", new CatalogImpl(), Catalog.class)
        .expose("impl", new CatalogImpl()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void methodsTellEverything(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      assertEquals(CATALOG, client.getExposedObject("catalog").methods());

      // Exposed by its class: the same methods (the class's own declarations, which carry no
      // throws clauses here), @Oneway found on the interface, and the class's extra method.
      List<RemoteMethod> impl = client.getExposedObject("impl").methods();
      assertEquals(10, impl.size(), impl.toString());
      RemoteMethod log = impl.stream().filter(m -> m.name().equals("log")).findFirst()
          .orElseThrow();
      assertEquals(true, log.oneway());
      RemoteMethod home = impl.stream().filter(m -> m.name().equals("home")).findFirst()
          .orElseThrow();
      assertEquals(new RemoteMethod("home", List.of(), List.of(), "java.nio.file.Path",
          List.of(), false, false), home); // a Path is Iterable, but not a stream
      assertEquals(List.of("all", "counts", "files", "names", "page"),
          impl.stream().filter(RemoteMethod::streaming).map(RemoteMethod::name).toList());
      assertEquals("java.util.List<" + SELF + "$Item> find(java.lang.String name,"
          + " java.util.Map<java.lang.String, java.util.List<java.lang.Integer>> filters)"
          + " throws java.io.IOException", CATALOG.get(3).toString());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void describeListsEveryObject(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        DescribeResponse all = InvokeServiceGrpc.newBlockingStub(channel)
            .describe(DescribeRequest.getDefaultInstance());
        assertEquals("catalog", all.getDefaultObject());
        assertEquals(List.of("json", "cbor"), all.getSerializersList());
        assertEquals(List.of("catalog", "impl"),
            all.getObjectsList().stream().map(ObjectDescription::getName).toList());
        ObjectDescription catalog = all.getObjects(0);
        assertEquals(SELF + "$Catalog", catalog.getType());
        assertEquals(SELF + "$CatalogImpl", all.getObjects(1).getType());
        MethodDescription find = catalog.getMethods(3);
        assertEquals(MethodDescription.newBuilder().setName("find")
            .addParameters(ParameterDescription.newBuilder().setName("name")
                .setType("java.lang.String"))
            .addParameters(ParameterDescription.newBuilder().setName("filters")
                .setType("java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>"))
            .setReturnType("java.util.List<" + SELF + "$Item>")
            .addExceptions("java.io.IOException")
            .build(), find);
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anUnknownObjectIsNotFound(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      IpcNoSuchObjectException e = assertThrows(IpcNoSuchObjectException.class,
          () -> client.getExposedObject("nope").methods());
      assertEquals("no object 'nope' on this server; it exposes catalog, impl (describe nope at "
          + served.address().target() + ")", e.getMessage());
    }
  }
}
