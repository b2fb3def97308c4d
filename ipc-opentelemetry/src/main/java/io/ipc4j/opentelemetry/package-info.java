/**
 * Metrics and traces for ipc4j servers and clients, per exposed object and method, on the
 * OpenTelemetry API: {@link io.ipc4j.opentelemetry.IpcTelemetry} is the one entry point.
 */
package io.ipc4j.opentelemetry;
