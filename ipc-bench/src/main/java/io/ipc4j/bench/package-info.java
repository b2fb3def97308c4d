/**
 * The ipc4j benchmark: ipc4j (json and cbor) against a hand-written typed grpc-java service, Java
 * RMI and, where Python can import it, Pyro4, each server in its own process on loopback, run by
 * {@code ipc-bench/run}; it writes a Markdown table and an SVG chart per scenario. Nothing here is
 * a library API.
 */
package io.ipc4j.bench;
