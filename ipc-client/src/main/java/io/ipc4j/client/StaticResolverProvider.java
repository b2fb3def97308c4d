package io.ipc4j.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Resolves {@code static:///host1:port1,host2:port2} to a fixed list of replicas, one endpoint
 * per entry (a host name with several addresses is one endpoint that tries them in turn). It is
 * registered in a registry of its own that only channels to {@code static:} targets use, so it
 * changes nothing for other channels in the JVM.
 */
final class StaticResolverProvider extends NameResolverProvider {
  static final String SCHEME = "static";
  private static final String FORM = "expected static:///host1:port1,host2:port2";

  /** The registry that channels to {@code static:} targets resolve their target with. */
  static final NameResolverRegistry REGISTRY = newRegistry();

  private static NameResolverRegistry newRegistry() {
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(new StaticResolverProvider());
    return registry;
  }

  /** Whether {@code target} names a fixed list of replicas. */
  static boolean isStatic(String target) {
    return target.regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1);
  }

  /**
   * The endpoints of a {@code static:} target.
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  static List<Endpoint> parse(String target) {
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw bad(target, "not a URI (" + e.getReason() + "; IPv6 literals are not supported, use a"
          + " host name)");
    }
    return parse(uri);
  }

  private static List<Endpoint> parse(URI uri) {
    String target = uri.toString();
    if (uri.getRawAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw bad(target, "no list after static:///");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String entry : uri.getPath().substring(1).split(",", -1)) {
      String e = entry.strip();
      int colon = e.lastIndexOf(':');
      if (colon <= 0) {
        throw bad(target, "'" + e + "' is not host:port");
      }
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException nfe) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw bad(target, "'" + e + "' has no port 1-65535");
      }
      endpoints.add(new Endpoint(e.substring(0, colon), port));
    }
    return List.copyOf(endpoints);
  }

  private static IllegalArgumentException bad(String target, String what) {
    return new IllegalArgumentException("target '" + target + "': " + what + "; " + FORM);
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI uri, NameResolver.Args args) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      return null;
    }
    return new Resolver(uri.toString(), parse(uri), args);
  }

  /** One replica: a host name or IPv4 address and a port. */
  record Endpoint(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Resolves the host names of the list off the channel's thread, and again on refresh. */
  private static final class Resolver extends NameResolver {
    private static final Logger logger = Logger.getLogger(StaticResolverProvider.class.getName());
    private final String target;
    private final List<Endpoint> endpoints;
    private final SynchronizationContext sync;
    private final Executor offload;
    // Guarded by sync.
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(String target, List<Endpoint> endpoints, Args args) {
      this.target = target;
      this.endpoints = endpoints;
      this.sync = args.getSynchronizationContext();
      Executor executor = args.getOffloadExecutor();
      this.offload = executor != null ? executor : Runnable::run;
    }

    @Override
    public String getServiceAuthority() {
      return endpoints.get(0).toString();
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      offload.execute(() -> {
        StatusOr<List<EquivalentAddressGroup>> result = lookUp();
        sync.execute(() -> {
          resolving = false;
          if (!shutdown) {
            listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(result).build());
          }
        });
      });
    }

    /** Every endpoint whose host resolves; an error only when none does. */
    private StatusOr<List<EquivalentAddressGroup>> lookUp() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (Endpoint e : endpoints) {
        try {
          List<SocketAddress> addresses = new ArrayList<>();
          for (InetAddress a : InetAddress.getAllByName(e.host())) {
            addresses.add(new InetSocketAddress(a, e.port()));
          }
          groups.add(new EquivalentAddressGroup(addresses));
        } catch (UnknownHostException ex) {
          unknown.add(e.host());
        }
      }
      if (groups.isEmpty()) {
        return StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
            "cannot resolve " + String.join(", ", unknown) + " of " + target));
      }
      if (!unknown.isEmpty()) {
        logger.warning("cannot resolve " + String.join(", ", unknown) + " of " + target
            + "; using the other replicas");
      }
      return StatusOr.fromValue(groups);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }
  }
}
