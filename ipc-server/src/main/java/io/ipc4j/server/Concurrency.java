package io.ipc4j.server;

/** How a server runs calls to one exposed object. */
public enum Concurrency {
  /** Calls run at once on a bounded pool of threads; the object must be thread-safe. */
  CONCURRENT,
  /** One call at a time per object, for objects that are not thread-safe. */
  SERIALIZED
}
