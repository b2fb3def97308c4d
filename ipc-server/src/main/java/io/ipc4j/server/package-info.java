/**
 * The ipc4j server: {@link io.ipc4j.server.IpcServer} exposes plain Java objects so that clients
 * call their methods over one generic gRPC {@code Invoke} RPC.
 */
package io.ipc4j.server;
