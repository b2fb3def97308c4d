package io.ipc4j.examples.gettingstarted;

import io.ipc4j.server.IpcServer;
import java.io.IOException;

/** Serves a {@link CalcImpl} as "kodi-IPC" on localhost:9099 (or the port given) until Ctrl-C. */
public final class CalcServer {
  private CalcServer() {}

  /** Starts serving on localhost:{@code port}; 0 picks a free port. */
  public static IpcServer start(int port) throws IOException {
    return IpcServer.builder().expose(new CalcImpl()).port(port).start();
  }

  /** Serves until Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    IpcServer server;
    try {
      server = start(port);
    } catch (IOException e) {                       // a BindException names host and port
      System.err.println("cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));    // Ctrl-C stops it cleanly
    System.out.println("serving " + server.name() + " on localhost:" + server.port());
    server.awaitTermination();
  }
}
