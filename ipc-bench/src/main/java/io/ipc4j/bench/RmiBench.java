package io.ipc4j.bench;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** The benchmark's object as Java RMI calls it: the same calls as {@link Bench}. */
public interface RmiBench extends Remote {
  /** Answers {@code a + b}. */
  int add(int a, int b) throws RemoteException;

  /** Answers {@code data} unchanged. */
  byte[] echo(byte[] data) throws RemoteException;
}
