package io.ipc4j.examples.errors;

import io.ipc4j.server.IpcServer;
import java.io.IOException;

/** Serves a {@link Vault} as "vault"; the server side of error handling. Run: examples/run errors-server [port]. */
public final class VaultServer implements Vault {
  private volatile boolean open;

  @Override
  public String open(String code) throws WrongCodeException {
    if (!"1234".equals(code)) {
      throw new WrongCodeException("wrong code: " + code);    // reaches the client as itself
    }
    open = true;
    return "opened";
  }

  @Override
  public String contents() {
    if (!open) {
      throw new IllegalStateException("the vault is closed");  // reaches the client with its traceback
    }
    return "gold";
  }

  /** Starts the server on {@code port} (0 = any free port). */
  public static IpcServer start(int port) throws IOException {
    return IpcServer.builder().expose("vault", new VaultServer(), Vault.class).port(port).start();
  }

  /** Serves until Ctrl-C; a taken port is reported, not thrown. */
  public static void main(String[] args) throws InterruptedException {
    try {
      IpcServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 9099);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      System.out.println("serving vault on localhost:" + server.port());
      server.awaitTermination();
    } catch (IOException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(1);
    }
  }
}
