package io.ipc4j.examples.gettingstarted;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import java.io.PrintStream;

/** Calls the calculator at localhost:9099 (or the port given): by name, then as a {@link Calc}. */
public final class CalcClient {
  private CalcClient() {}

  /** What the example does, given a client. */
  public static void run(IpcClient client, PrintStream out) {
    Object sum = client.getExposedObject().call("add", 1, 2);      // by name, no class: a Long
    out.println("1 + 2 = " + sum);
    Calc calc = client.getExposedObject(Calc.class);               // a typed, thread-safe proxy
    out.println("7 / 2 = " + calc.divide(7, 2));
    try {
      calc.divide(1, 0);
    } catch (ArithmeticException e) {                              // declared, so rebuilt as itself
      out.println("1 / 0 failed on the server: " + e.getMessage());
    }
  }

  /** Connects, calls, disconnects. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, System.out);
    } catch (IpcUnavailableException e) {                          // no server there
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
