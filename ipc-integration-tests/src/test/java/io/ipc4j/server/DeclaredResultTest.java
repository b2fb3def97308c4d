package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A result is written as the type its exposed method declares: a method declared to return an
 * interface with only {@code getName()} sends the name, never the password hash or API key of the
 * class behind it; the same for stream items, futures' values, collections' elements, and in
 * every form a request can take (json and cbor payloads, the ListValue form).
 */
class DeclaredResultTest {
  private static final Map<String, Object> NAME_ONLY = Map.of("name", "ada");
  private static final Map<String, Object> ACCOUNT = Map.of("name", "ada",
      "passwordHash", "$2a$10$hash", "apiKey", "sk-secret");

  /** What the methods promise. */
  public interface Named {
    String getName();
  }

  /** What they return: more than they promise. */
  public static class Account implements Named {
    @Override
    public String getName() {
      return "ada";
    }

    public String getPasswordHash() {
      return "$2a$10$hash";
    }

    public String getApiKey() {
      return "sk-secret";
    }
  }

  /** A subclass of a declared class. */
  public static class Admin extends Account {
    public String getRootToken() {
      return "root";
    }
  }

  /** The exposed interface. */
  public interface Users {
    Named current();

    Account account();

    Object anything();

    Map<String, Object> extras();

    List<Named> team();

    Named[] array();

    Optional<Named> maybe();

    Stream<Named> stream();

    Iterator<Named> iterator();

    CompletableFuture<Named> later();

    CompletionStage<Named> stage();
  }

  /** Returns accounts (and an admin) for every promise. */
  public static final class UsersImpl implements Users {
    @Override
    public Named current() {
      return new Account();
    }

    @Override
    public Account account() {
      return new Admin();
    }

    @Override
    public Object anything() {
      return new Account();
    }

    @Override
    public Map<String, Object> extras() {
      return Map.of("who", new Account());
    }

    @Override
    public List<Named> team() {
      return List.of(new Account(), new Admin());
    }

    @Override
    public Named[] array() {
      return new Named[] {new Admin()};
    }

    @Override
    public Optional<Named> maybe() {
      return Optional.of(new Account());
    }

    @Override
    public Stream<Named> stream() {
      return Stream.of(new Account(), new Admin());
    }

    @Override
    public Iterator<Named> iterator() {
      return List.<Named>of(new Account()).iterator();
    }

    @Override
    public CompletableFuture<Named> later() {
      return CompletableFuture.supplyAsync(Account::new);
    }

    @Override
    public CompletionStage<Named> stage() {
      return CompletableFuture.completedFuture(new Admin());
    }
  }

  /** A generic interface: what {@code T} is depends on the class that implements it. */
  public interface Repo<T> {
    T find();

    Stream<T> each();

    CompletableFuture<T> later();
  }

  /** Binds {@code T} to Account: results are written as Accounts, never as Admins. */
  public static final class AccountRepo implements Repo<Account> {
    @Override
    public Account find() {
      return new Admin();
    }

    @Override
    public Stream<Account> each() {
      return Stream.of(new Admin());
    }

    @Override
    public CompletableFuture<Account> later() {
      return CompletableFuture.completedFuture(new Admin());
    }
  }

  /** Leaves {@code T} open, bounded by Named: results are written as Named. */
  public static final class NamedRepo<T extends Named> implements Repo<T> {
    private final T value;

    public NamedRepo(T value) {
      this.value = value;
    }

    @Override
    public T find() {
      return value;
    }

    @Override
    public Stream<T> each() {
      return Stream.of(value);
    }

    @Override
    public CompletableFuture<T> later() {
      return CompletableFuture.completedFuture(value);
    }
  }

  /** What a typed client reads: a record with only the name, which rejects any other field. */
  public record NameOnly(String name) {}

  /** The client's view of {@link Users}. */
  public interface UsersView {
    NameOnly current();

    List<NameOnly> team();

    Optional<NameOnly> maybe();

    Stream<NameOnly> stream();

    CompletableFuture<NameOnly> later();
  }

  static Stream<Arguments> transportsAndSerializers() {
    return Stream.of(Transport.values())
        .flatMap(t -> Stream.of("json", "cbor").map(s -> Arguments.of(t, s)));
  }

  private static Transport.Served serve(Transport transport) throws Exception {
    return transport.start(IpcServer.builder()
        .expose("users", new UsersImpl(), Users.class)
        .expose("accounts", new AccountRepo(), Repo.class)
        .expose("named", new NamedRepo<>(new Account()), Repo.class)
        .expose("plain", new AccountRepo()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void dynamicCallsGetWhatTheDeclaredTypePromises(Transport transport, String serializer)
      throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().serializer(serializer).build()) {
      RemoteObject users = client.getExposedObject("users");

      assertEquals(NAME_ONLY, users.call("current"));
      assertEquals(ACCOUNT, users.call("account"));
      assertEquals(ACCOUNT, users.call("anything"));
      assertEquals(Map.of("who", ACCOUNT), users.call("extras"));
      assertEquals(List.of(NAME_ONLY, NAME_ONLY), users.call("team"));
      assertEquals(List.of(NAME_ONLY), users.call("array"));
      assertEquals(NAME_ONLY, users.call("maybe"));
      assertEquals(NAME_ONLY, users.call("later"));
      assertEquals(NAME_ONLY, users.callAsync("stage").get(10, TimeUnit.SECONDS));
      assertEquals(List.of(NAME_ONLY, NAME_ONLY), users.stream("stream").toList());
      assertEquals(List.of(NAME_ONLY), users.stream("iterator").toList());
      assertEquals(List.of(NAME_ONLY, NAME_ONLY), users.call("stream"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void aGenericReturnTypeIsResolvedAgainstTheExposedObjectsClass(Transport transport,
      String serializer) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().serializer(serializer).build()) {
      for (String name : List.of("accounts", "plain")) {
        RemoteObject accounts = client.getExposedObject(name);
        assertEquals(ACCOUNT, accounts.call("find"), name);
        assertEquals(List.of(ACCOUNT), accounts.stream("each").toList(), name);
        assertEquals(ACCOUNT, accounts.call("later"), name);
      }
      RemoteObject named = client.getExposedObject("named");
      assertEquals(NAME_ONLY, named.call("find"));
      assertEquals(List.of(NAME_ONLY), named.stream("each").toList());
      assertEquals(NAME_ONLY, named.call("later"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void aTypedProxyReadsOnlyTheDeclaredProperties(Transport transport, String serializer)
      throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().serializer(serializer).build()) {
      UsersView users = client.getExposedObject("users", UsersView.class);

      assertEquals(new NameOnly("ada"), users.current());
      assertEquals(List.of(new NameOnly("ada"), new NameOnly("ada")), users.team());
      assertEquals(Optional.of(new NameOnly("ada")), users.maybe());
      assertEquals(List.of(new NameOnly("ada"), new NameOnly("ada")), users.stream().toList());
      assertEquals(new NameOnly("ada"), users.later().get(10, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theListValueFormSendsWhatTheDeclaredTypePromises(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        InvokeServiceGrpc.InvokeServiceBlockingStub stub = InvokeServiceGrpc
            .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertEquals(NAME_ONLY, plain(stub.invoke(listRequest("users", "current")).getValue()));
        assertEquals(ACCOUNT, plain(stub.invoke(listRequest("users", "account")).getValue()));
        assertEquals(ACCOUNT, plain(stub.invoke(listRequest("users", "anything")).getValue()));
        assertEquals(Map.of("who", ACCOUNT),
            plain(stub.invoke(listRequest("users", "extras")).getValue()));
        assertEquals(List.of(NAME_ONLY, NAME_ONLY),
            plain(stub.invoke(listRequest("users", "team")).getValue()));
        assertEquals(NAME_ONLY, plain(stub.invoke(listRequest("users", "later")).getValue()));
        assertEquals(NAME_ONLY, plain(stub.invoke(listRequest("named", "find")).getValue()));
        assertEquals(List.of(NAME_ONLY, NAME_ONLY),
            plain(stub.invoke(listRequest("users", "stream")).getValue()));

        List<Object> items = new ArrayList<>();
        stub.invokeStream(listRequest("users", "stream"))
            .forEachRemaining((InvokeResponse r) -> items.add(plain(r.getValue())));
        assertEquals(List.of(NAME_ONLY, NAME_ONLY), items);
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  private static InvokeRequest listRequest(String object, String method) {
    return InvokeRequest.newBuilder().setObject(object).setMethod(method)
        .setArgs(ListValue.getDefaultInstance()).build();
  }

  /** A protobuf Value as plain Java: maps, lists, strings, doubles, booleans, null. */
  private static Object plain(Value value) {
    return switch (value.getKindCase()) {
      case STRUCT_VALUE -> {
        Map<String, Object> map = new LinkedHashMap<>();
        value.getStructValue().getFieldsMap().forEach((k, v) -> map.put(k, plain(v)));
        yield map;
      }
      case LIST_VALUE -> value.getListValue().getValuesList().stream()
          .map(DeclaredResultTest::plain).toList();
      case STRING_VALUE -> value.getStringValue();
      case NUMBER_VALUE -> value.getNumberValue();
      case BOOL_VALUE -> value.getBoolValue();
      default -> null;
    };
  }
}
