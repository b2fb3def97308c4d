package io.ipc4j.examples.replicas;

import io.ipc4j.client.IpcClient;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Three replicas on loopback and one client balancing over them with {@code static:///}; then the
 * same object over a Unix domain socket. Run: examples/run replicas.
 */
public final class Replicas {
  private Replicas() {}

  /** Each replica answers with its own name, so the client can see where calls went. */
  public static final class Whoami {
    private final String name;

    Whoami(String name) {
      this.name = name;
    }

    /** The replica's name. */
    public String whoami() {
      return name;
    }
  }

  /** What the example does. */
  public static void run(PrintStream out) throws IOException {
    List<IpcServer> replicas = new ArrayList<>();
    try {
      List<String> addresses = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        IpcServer replica = IpcServer.builder().expose(new Whoami(name)).port(0).start();
        replicas.add(replica);
        addresses.add("127.0.0.1:" + replica.port());
      }
      try (IpcClient client = IpcClient.builder()
          .target("static:///" + String.join(",", addresses)).build()) {
        Map<String, Integer> spread = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
          spread.merge(client.getExposedObject().call(String.class, "whoami"), 1, Integer::sum);
        }
        out.println("30 calls over 3 replicas: " + spread);       // about ten each
      }
    } finally {
      replicas.forEach(IpcServer::stop);
    }

    Path socket = Files.createTempDirectory("ipc4j").resolve("ipc.sock");
    try (IpcServer local = IpcServer.builder().expose(new Whoami("unix")).unixSocket(socket).start();
        IpcClient client = IpcClient.builder().target("unix://" + socket).build()) {
      out.println("over " + socket.getFileName() + ": " + client.getExposedObject().call("whoami"));
    } finally {
      Files.deleteIfExists(socket.getParent());
    }
  }

  /** Runs the example. */
  public static void main(String[] args) throws IOException {
    run(System.out);
  }
}
