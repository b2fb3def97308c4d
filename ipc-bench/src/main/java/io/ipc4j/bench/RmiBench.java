package io.ipc4j.bench;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** The benchmark's object as Java RMI calls it: the same calls as {@link Bench}. */
public interface RmiBench extends Remote {
  /** Answers {@code a + b}. */
  int add(int a, int b) throws RemoteException;

  /** Answers {@code data} unchanged. */
  byte[] echo(byte[] data) throws RemoteException;

  /** Answers {@code adder.add(a, b)}, called back on the client's exported object. */
  int callBack(RmiAdder adder, int a, int b) throws RemoteException;

  /** Calls {@code adder.add(a, i)} back for each {@code i} below {@code n}; answers the sum. */
  int callBackTimes(RmiAdder adder, int a, int n) throws RemoteException;
}
