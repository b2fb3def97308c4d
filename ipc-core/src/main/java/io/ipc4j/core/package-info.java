/**
 * What ipc4j servers and clients share and users may name: script.module.ipc's defaults ({@link
 * io.ipc4j.core.IpcDefaults}), the limits on what a peer may send ({@link io.ipc4j.core.Limits}),
 * the settings file ({@link io.ipc4j.core.Settings}) and the {@link io.ipc4j.core.Oneway} marker.
 */
package io.ipc4j.core;
