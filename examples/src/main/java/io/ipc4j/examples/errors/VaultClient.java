package io.ipc4j.examples.errors;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import java.io.PrintStream;

/** The client side of error handling, in the style of script.module.ipc's IPCClientX. Run: examples/run errors-client [port]. */
public final class VaultClient {
  private VaultClient() {}

  /** The contents, or {@code fallback} when the server is down or the call failed remotely. */
  static String contentsOrDefault(Vault vault, String fallback, PrintStream out) {
    try {
      return vault.contents();
    } catch (IpcUnavailableException e) {                       // no server: use the default
      out.println("server unavailable: " + e.getMessage());
      return fallback;
    } catch (IpcRemoteException e) {                            // the method threw
      out.println("remote " + e.getRemoteClassName() + ": " + e.getRemoteMessage());
      return fallback;
    }
  }

  /** What the example does, given a client. */
  public static void run(IpcClient client, PrintStream out) {
    Vault vault = client.getExposedObject("vault", Vault.class);
    out.println("before opening: " + contentsOrDefault(vault, "(locked)", out));
    out.println("last remote traceback:\n" + IpcClient.getTraceback());
    try {
      vault.open("0000");
    } catch (WrongCodeException e) {                            // declared: rebuilt as itself
      out.println("caught " + e.getMessage());
    } catch (IpcException e) {                                  // any other failure
      out.println("giving up: " + e.getMessage());
      return;
    }
    try {
      out.println(vault.open("1234") + ": " + contentsOrDefault(vault, "(locked)", out));
    } catch (WrongCodeException | IpcException e) {
      out.println("giving up: " + e.getMessage());
    }
  }

  /** Connects to localhost. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, System.out);
    }
  }
}
