package io.ipc4j.examples.typed;

import io.ipc4j.client.IpcClient;
import java.io.PrintStream;

/** Calls the notes server through a typed proxy. Run: examples/run typed [port]. */
public final class TypedClient {
  private TypedClient() {}

  /** What the example does, given a client. */
  public static void run(IpcClient client, PrintStream out) {
    NotesApi notes = client.getExposedObject(NotesApi.class);   // thread-safe; share it
    int count = notes.add("water the plants");
    out.println("now " + count + " notes");
    out.println(notes.summary());
  }

  /** Connects to localhost. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, System.out);
    }
  }
}
