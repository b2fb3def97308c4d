package io.ipc4j.client;

import io.ipc4j.core.RemoteReference;
import io.ipc4j.core.internal.PeerLink;
import io.ipc4j.core.internal.Serializer;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What ipc4j's own modules (the server) may ask of the client code and users may not: internal,
 * it may change in any release. The server makes its proxies of the objects its clients pass as
 * {@code @Remote} parameters here, and holds them in {@link ReferenceImports}, so that both ends
 * call and hold references with the same code.
 */
public final class InternalClient {
  /** Each interface's methods, parsed once. */
  private static final ClassValue<Map<Method, ProxyMethod>> tables = new ClassValue<>() {
    @Override
    protected Map<Method, ProxyMethod> computeValue(Class<?> iface) {
      return ProxyHandler.parse(iface);
    }
  };

  private InternalClient() {}

  /**
   * A proxy of {@code iface} whose calls go to the object {@code id} names, through {@code link};
   * arguments and answers are written by {@code serializer}; a call may take {@code deadline}, or
   * less when made within a server call with a nearer deadline. It implements {@link
   * RemoteReference}.
   *
   * @throws IllegalArgumentException when a method of {@code iface} cannot be called remotely
   */
  public static <T> T referenceProxy(Class<T> iface, String id, PeerLink link,
      Serializer serializer, Duration deadline) {
    ReferenceHandler handler = new ReferenceHandler(iface, id, link, serializer, deadline,
        tables.get(iface));
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(),
        new Class<?>[] {iface, RemoteReference.class}, handler));
  }

  /**
   * Ends {@code proxy}, made by {@link #referenceProxy}, because its session ended for {@code
   * why}: its calls fail as unavailable, and {@link RemoteReference#ended()} completes.
   */
  public static void endReference(Object proxy, String why) {
    handler(proxy).end(why, true);
  }

  /**
   * The id {@code value} has on {@code link} when it is a proxy of a reference that {@code link}
   * carries (an object the other end gave out, passed back to it), else null: it then travels
   * as that id, and arrives as the object itself.
   */
  public static String ownId(Object value, PeerLink link) {
    return Proxy.isProxyClass(value.getClass())
        && Proxy.getInvocationHandler(value) instanceof ReferenceHandler h && h.link() == link
        ? h.id() : null;
  }

  static ReferenceHandler handler(Object proxy) {
    return (ReferenceHandler) Proxy.getInvocationHandler(proxy);
  }

  /**
   * The proxies one end holds of the other end's objects, one per reference id, held weakly: a
   * proxy its holder dropped without releasing is released once the garbage collector has noticed
   * (as Java RMI's distributed collector does), so that a callback passed to a method that did not
   * keep it costs the session nothing for long. Not thread-safe: its owner guards it.
   */
  public static final class ReferenceImports {
    private final PeerLink link;
    private final Duration deadline;
    private final Map<String, Held> held = new HashMap<>();
    private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();

    /** A proxy, held weakly, with what is needed to release it once it is gone. */
    private static final class Held extends WeakReference<Object> {
      final String id;
      final Class<?> iface;
      /** How many messages carried the reference here since this proxy was made. */
      long received = 1;

      Held(Object proxy, String id, Class<?> iface, ReferenceQueue<Object> queue) {
        super(proxy, queue);
        this.id = id;
        this.iface = iface;
      }
    }

    /**
     * Imports whose proxies call through {@code link}, each call taking at most {@code deadline}
     * (less within a server call with a nearer one).
     */
    public ReferenceImports(PeerLink link, Duration deadline) {
      this.link = link;
      this.deadline = deadline;
    }

    /**
     * The live proxy of {@code id}, or null when there is none; a message carried {@code id}
     * here once more.
     */
    public Object get(String id) {
      Held h = held.get(id);
      Object proxy = h == null ? null : h.get();
      if (proxy != null) {
        h.received++;
      }
      return proxy;
    }

    /**
     * A new proxy of {@code id} through {@code iface}, writing arguments with {@code serializer},
     * held from now on.
     */
    public Object add(String id, Class<?> iface, Serializer serializer) {
      Object proxy = InternalClient.referenceProxy(iface, id, link, serializer, deadline);
      held.put(id, new Held(proxy, id, iface, dropped));
      return proxy;
    }

    /**
     * Forgets {@code id}; answers how many messages carried it here (what the release tells the
     * other end), or 0 when it was not held.
     */
    public long remove(String id) {
      Held h = held.remove(id);
      return h == null ? 0 : h.received;
    }

    /**
     * Forgets the proxies the garbage collector found unreachable, and answers their ids, each
     * with how many messages carried it here: the owner releases them on the other end.
     */
    public Map<String, Long> collected() {
      Map<String, Long> ids = new HashMap<>();
      for (Object r; (r = dropped.poll()) != null; ) {
        Held h = (Held) r;
        if (held.remove(h.id, h)) {
          ids.put(h.id, h.received);
        }
      }
      return ids;
    }

    /** How many proxies are held. */
    public int size() {
      return held.size();
    }

    /** The interface of each proxy still held, by its simple name. */
    public List<String> interfaces() {
      List<String> names = new ArrayList<>();
      held.values().forEach(h -> names.add(h.iface.getSimpleName()));
      return names;
    }

    /**
     * Forgets every proxy, and answers those still alive: the owner ends them ({@link
     * InternalClient#endReference}) once it no longer holds its lock, since ending one runs what
     * waited on {@link io.ipc4j.core.RemoteReference#ended()}.
     */
    public List<Object> clear() {
      List<Object> proxies = new ArrayList<>();
      held.values().forEach(h -> {
        Object proxy = h.get();
        if (proxy != null) {
          proxies.add(proxy);
        }
      });
      held.clear();
      return proxies;
    }
  }
}
