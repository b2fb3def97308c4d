package io.ipc4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The server JVM: {@code ServerMain SYSTEM DIR} starts SYSTEM's server on a free port of
 * 127.0.0.1, prints {@code LISTENING ADDRESS} (the port, or the RMI stub file written to DIR) and
 * serves until its standard input closes; the driver closes it to stop the server, and it closes
 * by itself when the driver dies.
 */
public final class ServerMain {
  /** The line the server prints once it serves, followed by a space and its address. */
  static final String LISTENING = "LISTENING";

  private ServerMain() {}

  /** Runs the server until standard input closes. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ServerMain SYSTEM DIR");
      System.exit(2);
    }
    Contender contender = Contender.byId(args[0]);
    try (BenchServer server = BenchServer.start(contender, Path.of(args[1]))) {
      System.out.println(LISTENING + " " + server.address());
      System.out.flush();
      drain(System.in);
    }
    System.exit(0);
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // wait for end of input
    }
  }
}
