/**
 * The ipc4j benchmark: ipc4j (json and cbor) against a hand-written typed grpc-java service and
 * Java RMI, each server in its own JVM on loopback, run by {@code ipc-bench/run}. Nothing here is
 * a library API.
 */
package io.ipc4j.bench;
