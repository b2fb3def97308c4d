package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.core.ErrorReason;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The opt-in {@code java} serializer, end to end through the builders' allow-lists. */
class JavaSerializationTest {

  /** An allowed value. */
  public record Point(int x, int y) implements Serializable {}

  static final AtomicBoolean gadgetRead = new AtomicBoolean();

  /** Not on the allow-list: its readObject must never run on the server. */
  public static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      gadgetRead.set(true);
      in.defaultReadObject();
    }
  }

  public interface Geometry {
    Point mirror(Point p);

    Object echo(Object value);
  }

  public static final class GeometryImpl implements Geometry {
    @Override
    public Point mirror(Point p) {
      return new Point(p.y(), p.x());
    }

    @Override
    public Object echo(Object value) {
      return value;
    }
  }

  private static final String ALLOWED = "io.ipc4j.server.JavaSerializationTest$Point";

  @Test
  void allowedClassesTravelAsThemselves() throws Exception {
    try (IpcServer server = IpcServer.builder().expose("geo", new GeometryImpl(), Geometry.class)
            .javaSerialization(ALLOWED).port(0).start();
        IpcClient client = IpcClient.builder().port(server.port()).serializer("java")
            .javaSerialization(ALLOWED).build()) {
      assertEquals(new Point(2, 1), client.getExposedObject("geo", Geometry.class)
          .mirror(new Point(1, 2)));
    }
  }

  @Test
  void aClassOffTheAllowListIsRefusedBeforeItsReadObjectRuns() throws Exception {
    gadgetRead.set(false);
    String both = ALLOWED + ",io.ipc4j.server.JavaSerializationTest$Gadget";
    try (IpcServer server = IpcServer.builder().expose("geo", new GeometryImpl(), Geometry.class)
            .javaSerialization(ALLOWED).port(0).start();
        IpcClient client = IpcClient.builder().port(server.port()).serializer("java")
            .javaSerialization(both.split(",")).build()) {
      assertThrows(IpcBadArgumentsException.class,
          () -> client.getExposedObject("geo", Geometry.class).echo(new Gadget()));
      assertFalse(gadgetRead.get(), "the server ran Gadget.readObject");
      // The server goes on serving.
      assertEquals(new Point(4, 3), client.getExposedObject("geo", Geometry.class)
          .mirror(new Point(3, 4)));
    }
  }

  @Test
  void javaIsOffByDefault() throws Exception {
    try (IpcServer server = IpcServer.builder().expose("geo", new GeometryImpl(), Geometry.class)
            .port(0).start();
        IpcClient client = IpcClient.builder().port(server.port()).serializer("java")
            .javaSerialization(ALLOWED).build()) {
      IpcException e = assertThrows(IpcException.class,
          () -> client.getExposedObject("geo", Geometry.class).mirror(new Point(1, 2)));
      assertEquals(ErrorReason.SERIALIZER_NOT_ACCEPTED, e.getReason());
      assertTrue(e.getMessage().startsWith(
          "serializer 'java' is not accepted by this server; it accepts json, cbor"),
          e.getMessage());
    }
    IllegalStateException noList = assertThrows(IllegalStateException.class,
        () -> IpcClient.builder().serializer("java").build());
    assertEquals("serializer 'java' needs javaSerialization(allowList): Java serialization is"
        + " off unless it names the classes it may read", noList.getMessage());
  }
}
