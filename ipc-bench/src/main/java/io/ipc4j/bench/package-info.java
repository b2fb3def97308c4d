/**
 * The ipc4j benchmark: ipc4j (json and cbor, over {@code Invoke} or a session) against hand-written
 * typed grpc-java services (unary, and calls as messages on one stream), Java RMI and, where
 * Python can import it, Pyro4, each server in its own process on loopback, run by
 * {@code ipc-bench/run}; it writes a Markdown table and an SVG chart per scenario. Nothing here is
 * a library API.
 */
package io.ipc4j.bench;
