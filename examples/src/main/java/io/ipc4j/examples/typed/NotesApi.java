package io.ipc4j.examples.typed;

import java.util.List;

/** The client's view of the notes server: only what it calls, with the types it wants. */
public interface NotesApi {
  /** Adds a note; answers how many there are. */
  int add(String note);

  /** All notes, oldest first. */
  List<String> list();

  /** Runs locally, calling the remote methods. */
  default String summary() {
    List<String> all = list();
    return all.size() + " notes" + (all.isEmpty() ? "" : ", last: " + all.get(all.size() - 1));
  }
}
