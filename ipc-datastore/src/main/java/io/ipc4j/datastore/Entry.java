package io.ipc4j.datastore;

/**
 * One stored value with the time it was last set; over JSON it reads
 * {@code {"value": ..., "ts": ...}}.
 *
 * @param value the value, a JSON-shaped Java value (Map, List, String, number, Boolean or null)
 * @param ts when the value was set, in milliseconds since the epoch; strictly increasing within
 *     one store, so a larger {@code ts} always means a newer value
 */
public record Entry(Object value, long ts) {}
