package io.ipc4j.examples.server;

import java.util.ArrayList;
import java.util.List;

/** A plain object to share: nothing generated, nothing extended. Thread-safe. */
public class Notes {
  private final List<String> notes = new ArrayList<>();

  /** Adds a note and answers how many there are. */
  public synchronized int add(String note) {
    notes.add(note);
    return notes.size();
  }

  /** All notes, oldest first. */
  public synchronized List<String> list() {
    return List.copyOf(notes);
  }

  /** Removes every note. */
  public synchronized void clear() {
    notes.clear();
  }
}
