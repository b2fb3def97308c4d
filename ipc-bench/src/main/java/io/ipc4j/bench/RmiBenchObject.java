package io.ipc4j.bench;

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
}
