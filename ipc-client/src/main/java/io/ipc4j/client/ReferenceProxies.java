package io.ipc4j.client;

import io.ipc4j.core.RemoteReference;
import io.ipc4j.core.internal.PeerLink;
import io.ipc4j.core.internal.Serializer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;

/**
 * Proxies of references passed over a session. ipc4j's server makes them for the objects its
 * clients pass as {@code @Remote} parameters, so that both ends call references with the same
 * code; applications get such proxies from calls and never need this class.
 */
public final class ReferenceProxies {
  /** Each interface's methods, parsed once. */
  private static final ClassValue<Map<Method, ProxyMethod>> tables = new ClassValue<>() {
    @Override
    protected Map<Method, ProxyMethod> computeValue(Class<?> iface) {
      return ProxyHandler.parse(iface);
    }
  };

  private ReferenceProxies() {}

  /**
   * A proxy of {@code iface} whose calls go to the object {@code id} names, through {@code link};
   * arguments and answers are written by {@code serializer}; a call may take {@code deadline}, or
   * less when made within a server call with a nearer deadline. It implements {@link
   * RemoteReference}.
   *
   * @throws IllegalArgumentException when a method of {@code iface} cannot be called remotely
   */
  public static <T> T create(Class<T> iface, String id, PeerLink link, Serializer serializer,
      Duration deadline) {
    ReferenceHandler handler = new ReferenceHandler(iface, id, link, serializer, deadline,
        tables.get(iface));
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(),
        new Class<?>[] {iface, RemoteReference.class}, handler));
  }

  /**
   * Ends {@code proxy}, made by {@link #create}, because its session ended for {@code why}: its
   * calls fail as unavailable, and {@link RemoteReference#ended()} completes.
   */
  public static void end(Object proxy, String why) {
    handler(proxy).end(why, true);
  }

  /** Whether {@code proxy}, made by {@link #create}, has ended (released, or its session). */
  public static boolean isEnded(Object proxy) {
    return handler(proxy).isEnded();
  }

  static ReferenceHandler handler(Object proxy) {
    return (ReferenceHandler) Proxy.getInvocationHandler(proxy);
  }
}
