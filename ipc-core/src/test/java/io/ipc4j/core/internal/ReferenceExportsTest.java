package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.proto.v1.Release;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ids an end gives out: one per object and interface, random, dropped as releases say. */
class ReferenceExportsTest {
  interface Listener {}

  interface Other {}

  private final ReferenceExports<String> exports = new ReferenceExports<>();

  @Test
  void theSameObjectAndInterfaceKeepTheirIdAndEqualObjectsDoNot() {
    String a = new String("x");
    String b = new String("x"); // equal, not the same
    String id = exports.give(a, Listener.class, () -> "a");
    assertEquals(id, exports.give(a, Listener.class, () -> "again"));
    assertEquals("a", exports.get(id));
    assertNotEquals(id, exports.give(b, Listener.class, () -> "b"));
    assertNotEquals(id, exports.give(a, Other.class, () -> "a as other"));
    assertEquals(3, exports.size());
    assertEquals(RemoteTypes.ID_LENGTH, id.length());
    assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
  }

  @Test
  void idsAreNotRepeated() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(ids.add(RemoteTypes.newId()));
    }
  }

  @Test
  void aReleaseDropsOnlyWhatTheOtherEndHadReceivedEveryTimeItWasGiven() {
    Object target = new Object();
    String id = exports.give(target, Listener.class, () -> "kept");
    exports.give(target, Listener.class, () -> "unused"); // given twice
    // The other end had received it once: a message carrying it crossed the release.
    assertEquals(List.of(), exports.release(release(id, 1)));
    assertEquals("kept", exports.get(id));
    assertEquals(List.of("kept"), exports.release(release(id, 1)));
    assertNull(exports.get(id));
    assertNull(exports.idOf(target, Listener.class));
    String again = exports.give(target, Listener.class, () -> "new");
    assertNotEquals(id, again);
  }

  @Test
  void aReleaseWithoutCountsDropsAndUnknownIdsAreIgnored() {
    String id = exports.give(new Object(), Listener.class, () -> "v");
    exports.give(new Object(), Listener.class, () -> "w");
    assertEquals(List.of("v"), exports.release(Release.newBuilder().addReferences(id)
        .addReferences("no-such-id").build()));
    List<String> rest = exports.clear();
    assertEquals(List.of("w"), rest);
    assertEquals(0, exports.size());
  }

  @Test
  void remoteInterfacesAreOnlyInterfacesMarkedRemote() {
    assertSame(Marked.class, RemoteTypes.remoteInterface(Marked.class));
    assertNull(RemoteTypes.remoteInterface(Listener.class));
    assertNull(RemoteTypes.remoteInterface(MarkedClass.class));
    assertSame(Marked.class, RemoteTypes.remoteInterface(
        Mappers.types().constructType(Marked.class)));
  }

  @io.ipc4j.core.Remote
  interface Marked {}

  @io.ipc4j.core.Remote
  static final class MarkedClass {}

  private static Release release(String id, long received) {
    return Release.newBuilder().addReferences(id).addReceived(received).build();
  }
}
