package io.ipc4j.examples.callbacks;

import io.ipc4j.client.IpcClient;
import io.ipc4j.examples.callbacks.ChatRoom.Membership;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Joins the chat, hears itself, leaves. Run: examples/run chat-client [port] [name]. */
public final class ChatClient {
  private ChatClient() {}

  /** What the example does, given a client. */
  public static void run(IpcClient client, String name, PrintStream out)
      throws InterruptedException {
    ChatRoom room = client.getExposedObject("chat", ChatRoom.class);
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    try (Membership me = room.join(name, heard::add)) {  // heard::add runs when the server calls
      me.say("hello");
      out.println("members: " + room.members());
      out.println("heard: " + heard.poll(10, TimeUnit.SECONDS));
      out.println("heard: " + heard.poll(10, TimeUnit.SECONDS));
    }                                                    // closing the membership leaves the room
    out.println(name + " left");
  }

  /** Connects to localhost. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, args.length > 1 ? args[1] : "ann", System.out);
    }
  }
}
