package io.ipc4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client JVM: {@code ClientMain SYSTEM ADDRESS SERVER_PID} connects to SYSTEM's server, prints
 * {@code READY}, then runs one cell per line of standard input ({@code CELL SCENARIO THREADS
 * WARMUP_MS MEASURE_MS}) and answers each with one {@link CellResult} line, until input ends.
 */
public final class ClientMain {
  /** The line the client prints once connected. */
  static final String READY = "READY";
  /** The first word of a command line. */
  static final String CELL = "CELL";

  private ClientMain() {}

  /** Runs cells until standard input ends. */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ClientMain SYSTEM ADDRESS SERVER_PID");
      System.exit(2);
    }
    Contender contender = Contender.byId(args[0]);
    ProcessProbe probe = new ProcessProbe(Long.parseLong(args[2]));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Endpoint endpoint = Endpoint.connect(contender, args[1])) {
      for (Scenario s : Scenario.values()) {
        if (contender.runs(s)) {
          new Caller(contender, endpoint, s, 0).call(); // connects, and checks each call once
        }
      }
      System.out.println(READY);
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 5 || !f[0].equals(CELL)) {
          throw new IllegalArgumentException("not a cell command: '" + line + "'");
        }
        Scenario scenario = Scenario.byId(f[1]);
        int threads = Integer.parseInt(f[2]);
        CellResult result = Cell.run(contender, endpoint, scenario, threads,
            Duration.ofMillis(Long.parseLong(f[3])), Duration.ofMillis(Long.parseLong(f[4])),
            probe);
        System.out.println(result.toLine());
        System.out.flush();
      }
    }
    System.exit(0);
  }
}
