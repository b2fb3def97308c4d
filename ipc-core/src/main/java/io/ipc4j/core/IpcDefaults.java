package io.ipc4j.core;

/**
 * The defaults of Kodi's {@code script.module.ipc}, shared by server and client so that
 * {@code new IpcServer(obj)} and {@code new IpcClient()} find each other with no configuration.
 */
public final class IpcDefaults {
  /** The name the default object is exposed under: {@value}. */
  public static final String NAME = "kodi-IPC";
  /** The host a server binds and a client dials: {@value}. Loopback, so nothing is exposed. */
  public static final String HOST = "localhost";
  /** The TCP port: {@value}. */
  public static final int PORT = 9099;
  /** The serializer a client uses: {@value}. */
  public static final String SERIALIZER = "json";

  private IpcDefaults() {}
}
