package io.ipc4j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the benchmark compares: ipc4j with each serializer and over sessions, typed gRPC (unary and
 * over one stream), Java RMI and Pyro4.
 */
enum Contender {
  IPC4J_JSON("ipc4j-json", "ipc4j json"),
  IPC4J_CBOR("ipc4j-cbor", "ipc4j cbor"),
  /** ipc4j cbor over a Unix domain socket instead of TCP loopback: not run unless asked for. */
  IPC4J_UNIX("ipc4j-unix", "ipc4j cbor unix"),
  /**
   * ipc4j cbor with the object's methods marked {@code @NonBlocking}, so that small calls run on
   * the transport thread: not run unless asked for.
   */
  IPC4J_INLINE("ipc4j-inline", "ipc4j cbor inline"),
  GRPC("grpc", "typed gRPC"),
  RMI("rmi", "RMI"),
  /**
   * Typed gRPC with a 30 s deadline on every call, as ipc4j's client sets by default: not run
   * unless asked for, it shows what the deadline costs.
   */
  GRPC_DEADLINE("grpc-deadline", "typed gRPC+deadline"),
  /**
   * Pyro4 in Python (what Kodi's {@code script.module.ipc} uses), run by {@link Pyro4Script}: not
   * run unless asked for (its 1 MiB echo takes seconds a call), and skipped where the interpreter
   * cannot import Pyro4.
   */
  PYRO4("pyro4", "Pyro4"),
  /**
   * ipc4j cbor with the client's calls as messages on one long-lived stream ({@code
   * IpcClient.Builder.sessions(true)}): not run unless asked for.
   */
  IPC4J_SESSION("ipc4j-session", "ipc4j cbor session"),
  /**
   * Typed gRPC with every call a message on one long-lived stream per client, answered on the
   * server's transport thread ({@link GrpcStreamService}): not run unless asked for, it shows the
   * most that calls as messages on a stream give over grpc-java.
   */
  GRPC_STREAM("grpc-stream", "typed gRPC stream"),
  /**
   * As {@link #GRPC_STREAM}, but each call is handed to a pool of 16 threads on the server, as
   * methods that may block need: the ceiling of ipc4j's sessions. Not run unless asked for.
   */
  GRPC_STREAM_POOL("grpc-stream-pool", "typed gRPC stream pool"),
  /**
   * As {@link #IPC4J_SESSION}, with ipc-opentelemetry's metrics and traces on both ends (the SDK,
   * every span sampled, exported to nowhere): what telemetry costs. Not run unless asked for.
   */
  IPC4J_OTEL("ipc4j-otel", "ipc4j cbor session otel"),
  /**
   * As {@link #IPC4J_OTEL}, with the sampler production setups often choose: parent-based, one
   * trace in ten kept ({@code Sampler.parentBased(Sampler.traceIdRatioBased(0.1))}), metrics whole.
   * Not run unless asked for.
   */
  IPC4J_OTEL_RATIO("ipc4j-otel-ratio", "ipc4j cbor session otel 10%");


  /** The systems a run compares unless told otherwise. */
  static final List<Contender> DEFAULTS = List.of(IPC4J_JSON, IPC4J_CBOR, GRPC, RMI);

  /** The name on the command line and in the result lines. */
  final String id;
  /** The name in the table. */
  final String label;

  Contender(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /**
   * Whether this system can run {@code s}: callbacks need ipc4j's sessions (the server calls back
   * over the client's session) or RMI (the client exports its object); typed gRPC and Pyro4 as
   * measured here have none.
   */
  boolean runs(Scenario s) {
    return !s.callsBack() || this == IPC4J_SESSION || this == IPC4J_OTEL
        || this == IPC4J_OTEL_RATIO || this == RMI;
  }

  static Contender byId(String id) {
    for (Contender c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown system '" + id + "'; known: "
        + Arrays.stream(values()).map(c -> c.id).collect(Collectors.joining(", ")));
  }
}
