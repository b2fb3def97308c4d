package io.ipc4j.examples.callbacks;

import io.ipc4j.client.IpcException;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Serves a {@link ChatRoom} as "chat". Run: examples/run chat-server [port]. */
public final class ChatServer implements ChatRoom {
  private final Map<String, Listener> members = new LinkedHashMap<>();

  @Override
  public synchronized Membership join(String name, Listener listener) {
    if (members.putIfAbsent(name, listener) != null) {
      throw new IllegalArgumentException("'" + name + "' is already in the room");
    }
    broadcast(name + " joined");
    return new Membership() {          // the client gets a proxy; this object stays here
      @Override
      public void say(String text) {
        broadcast(name + ": " + text);
      }

      @Override
      public void close() {            // on the client's close(), or when its session ends
        synchronized (ChatServer.this) {
          if (members.remove(name) != null) {   // the listener is dropped, and so released
            broadcast(name + " left");
          }
        }
      }
    };
  }

  @Override
  public synchronized List<String> members() {
    return new ArrayList<>(members.keySet());
  }

  private synchronized void broadcast(String line) {
    for (Listener listener : members.values()) {
      try {
        listener.heard(line);                        // @Oneway: sent in order, no waiting
      } catch (IpcException gone) {
        // its client went away: its membership closes with the session and removes it
      }
    }
  }

  /** Starts the server on {@code port} (0 = any free port). */
  public static IpcServer start(ChatRoom room, int port) throws IOException {
    return IpcServer.builder().expose("chat", room, ChatRoom.class).port(port).start();
  }

  /** Serves until Ctrl-C. */
  public static void main(String[] args) throws IOException, InterruptedException {
    IpcServer server = start(new ChatServer(), args.length > 0 ? Integer.parseInt(args[0]) : 9099);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    System.out.println("serving chat on localhost:" + server.port());
    server.awaitTermination();
  }
}
