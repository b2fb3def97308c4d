package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A method name a client got wrong is answered with the closest names the object has, and a name
 * called with the wrong number of arguments with how many its methods take: in the status a
 * grpcurl user reads, and in the client's exception.
 */
class MethodSuggestionTest {

  /** A store with a few methods of similar names. */
  public static final class Store {
    public Object get(String name) {
      return name;
    }

    public void set(String name, Object value) {}

    public void delete(String name) {}

    public List<String> getDataList(String author) {
      return List.of(author);
    }

    public void clearAll() {}
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anUnknownNameGetsTheClosestNames(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose(new Store()));
        IpcClient client = served.client().build()) {
      ManagedChannel channel = served.channel();
      try {
        assertDescription(channel, "gte", "no method 'gte' on object 'kodi-IPC';"
            + " did you mean 'get'?");
        assertDescription(channel, "GET", "no method 'GET' on object 'kodi-IPC';"
            + " did you mean 'get' or 'set'?");
        assertDescription(channel, "getdatalist", "no method 'getdatalist' on object"
            + " 'kodi-IPC'; did you mean 'getDataList'?");
        assertDescription(channel, "dleete", "no method 'dleete' on object 'kodi-IPC';"
            + " did you mean 'delete'?");
        assertDescription(channel, "remove", "no method 'remove' on object 'kodi-IPC'");
        assertDescription(channel, "", "no method '' on object 'kodi-IPC'");
      } finally {
        Transport.shutdown(channel);
      }

      IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject().call("clearall"));
      assertEquals("no method 'clearall' on object 'kodi-IPC'; did you mean 'clearAll'? ("
          + served.call("kodi-IPC", "clearall") + ")", e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aKnownNameWithTheWrongArityTellsHowManyItTakes(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder().expose(new Store()));
        IpcClient client = served.client().build()) {
      ManagedChannel channel = served.channel();
      try {
        assertDescription(channel, "get", "no method 'get' with 2 arguments on object"
            + " 'kodi-IPC'; it has get(String name) (takes 1 argument)", "a", "b");
        assertDescription(channel, "set", "no method 'set' with 1 argument on object"
            + " 'kodi-IPC'; it has set(String name, Object value) (takes 2 arguments)", "a");
      } finally {
        Transport.shutdown(channel);
      }

      IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject().call("clearAll", 1));
      assertEquals("no method 'clearAll' with 1 argument on object 'kodi-IPC'; it has"
          + " clearAll() (takes 0 arguments) (" + served.call("kodi-IPC", "clearAll") + ")",
          e.getMessage());
    }
  }

  private static void assertDescription(ManagedChannel channel, String method,
      String description, Object... args) {
    com.google.rpc.Status status =
        ErrorTableTest.raw(channel, ErrorTableTest.request("kodi-IPC", method, args));
    assertEquals(Status.Code.UNIMPLEMENTED.value(), status.getCode(), method);
    assertEquals(description, status.getMessage());
    ErrorInfo info = ErrorTableTest.errorInfo(status);
    assertEquals("NO_SUCH_METHOD", info.getReason());
  }
}
