package io.ipc4j.examples.callbacks;

import io.ipc4j.core.Oneway;
import io.ipc4j.core.Remote;
import java.util.List;

/** A chat room: members join with a listener the server calls back, and get a membership. */
public interface ChatRoom {
  /**
   * Joins as {@code name}. The server keeps {@code listener} (the client's own object, called back
   * over its session) and answers a membership that stays on the server until it is closed.
   */
  Membership join(String name, Listener listener);

  /** The members' names, in the order they joined. */
  List<String> members();

  /** What a member hears; it travels by reference, so the server calls the client's object. */
  @Remote
  interface Listener {
    /** A line said in the room; the server does not wait for it to be heard. */
    @Oneway
    void heard(String line);
  }

  /** A member's place in the room, kept on the server; closing it (or disconnecting) leaves. */
  @Remote
  interface Membership extends AutoCloseable {
    /** Says {@code text} to every member. */
    void say(String text);

    /** Leaves the room. */
    @Override
    void close();
  }
}
