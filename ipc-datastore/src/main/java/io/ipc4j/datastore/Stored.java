package io.ipc4j.datastore;

/** A value as the store keeps it: with its timestamp and whether it survives a restart. */
record Stored(Object value, long ts, boolean persist) {
  Entry entry() {
    return new Entry(value, ts);
  }

  Stored withPersist(boolean on) {
    return new Stored(value, ts, on);
  }
}
