package io.ipc4j.bench;

import java.rmi.RemoteException;

/** The RMI server's object, exported with {@code UnicastRemoteObject.exportObject}. */
final class RmiBenchObject implements RmiBench {
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public byte[] echo(byte[] data) {
    return data;
  }

  @Override
  public int callBack(RmiAdder adder, int a, int b) throws RemoteException {
    return adder.add(a, b);
  }

  @Override
  public int callBackTimes(RmiAdder adder, int a, int n) throws RemoteException {
    int sum = 0;
    for (int i = 0; i < n; i++) {
      sum += adder.add(a, i);
    }
    return sum;
  }
}
