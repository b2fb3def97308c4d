package io.ipc4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Answers {@code ipc --version} from the version the build wrote into the jar. */
final class VersionProvider implements IVersionProvider {
  /** The ipc4j version, such as {@code 0.1.0}; {@code unknown} when built without Maven. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version of ipc4j: " + e.getMessage(), e);
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("$") ? "unknown" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"ipc4j " + version() + " (Java " + Runtime.version() + ")"};
  }
}
