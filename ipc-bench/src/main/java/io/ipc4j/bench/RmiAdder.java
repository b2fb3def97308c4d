package io.ipc4j.bench;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** {@link Adder} as Java RMI calls it back: the client exports it, the server calls its stub. */
public interface RmiAdder extends Remote {
  /** Answers {@code a + b}. */
  int add(int a, int b) throws RemoteException;
}
