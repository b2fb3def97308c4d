/**
 * The ipc4j client: {@link io.ipc4j.client.IpcClient} calls objects an ipc4j server exposes,
 * through typed proxies or dynamic {@link io.ipc4j.client.RemoteObject}s. Failures are unchecked
 * {@link io.ipc4j.client.IpcException}s.
 */
package io.ipc4j.client;
