package io.ipc4j.examples.dynamic;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.client.RemoteObject;
import java.io.PrintStream;

/** Calls the notes server by method name, with no class or interface. Run: examples/run dynamic [port]. */
public final class DynamicClient {
  private DynamicClient() {}

  /** What the example does, given a client. */
  public static void run(IpcClient client, PrintStream out) {
    if (!client.serverAvailable()) {
      out.println("no server at " + client.target());
      return;
    }
    RemoteObject notes = client.getExposedObject();       // "kodi-IPC"
    for (RemoteMethod m : notes.methods()) {              // what the server offers
      out.println("offers: " + m);
    }
    notes.call("add", "buy milk");
    Object count = notes.call("add", "call mum");          // plain values: here a Long
    out.println(count + " notes: " + notes.call("list"));  // a List of Strings
  }

  /** Connects to localhost. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, System.out);
    }
  }
}
