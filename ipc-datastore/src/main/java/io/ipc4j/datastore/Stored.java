package io.ipc4j.datastore;

/**
 * A value as the store keeps it: with its timestamp, whether it survives a restart, and its size
 * as quotas count it (the name and the value as JSON, in UTF-8 bytes).
 */
record Stored(Object value, long ts, boolean persist, long size) {
  Entry entry() {
    return new Entry(value, ts);
  }

  Stored withPersist(boolean on) {
    return new Stored(value, ts, on, size);
  }
}
