package io.ipc4j.bench;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.Remote;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.RemoteObject;
import java.rmi.server.RemoteObjectInvocationHandler;
import java.rmi.server.UnicastRemoteObject;

/**
 * Java RMI with its defaults: an object exported by {@link UnicastRemoteObject} on a free port of
 * 127.0.0.1, no registry; the server writes the exported stub to a file that the client reads. For
 * callbacks the client exports its own object the same way and passes its stub.
 */
final class RmiSystem {
  private RmiSystem() {}

  static BenchServer serve(Path dir) throws IOException {
    // Stubs name this host; set before RMI's transport first reads it.
    System.setProperty("java.rmi.server.hostname", GrpcSystem.LOOPBACK);
    RmiBenchObject object = new RmiBenchObject();
    RmiBench stub = (RmiBench) UnicastRemoteObject.exportObject(
        object, 0, null, new LoopbackSockets());
    Path stubFile = dir.resolve("rmi-stub-" + ProcessHandle.current().pid() + ".ser");
    Files.createDirectories(dir);
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(stubFile))) {
      out.writeObject(stub);
    }
    return new BenchServer(stubFile.toString(), () -> {
      try {
        UnicastRemoteObject.unexportObject(object, true);
      } catch (NoSuchObjectException e) {
        // already unexported
      }
      try {
        Files.deleteIfExists(stubFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the RMI stub file " + stubFile, e);
      }
    });
  }

  static Endpoint connect(Path stubFile) throws IOException {
    RmiBench bench;
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(stubFile))) {
      in.setObjectInputFilter(RmiSystem::stubOnly);
      bench = (RmiBench) in.readObject();
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new InvalidObjectException("no RmiBench stub in " + stubFile + ": " + e);
    }
    // The callbacks' object, exported by the client as RMI users do; the server calls its stub.
    RmiAdder adderObject = new Sum();
    RmiAdder adder = (RmiAdder) UnicastRemoteObject.exportObject(
        adderObject, 0, null, new LoopbackSockets());
    return new Endpoint() {
      @Override
      public int add(int a, int b) throws IOException {
        return bench.add(a, b);
      }

      @Override
      public byte[] echo(byte[] data) throws IOException {
        return bench.echo(data);
      }

      @Override
      public int callBack(int a, int b) throws IOException {
        return bench.callBack(adder, a, b);
      }

      @Override
      public int callBackTimes(int a, int n) throws IOException {
        return bench.callBackTimes(adder, a, n);
      }

      @Override
      public void close() {
        // RMI closes idle client connections itself.
        try {
          UnicastRemoteObject.unexportObject(adderObject, true);
        } catch (NoSuchObjectException e) {
          // already unexported
        }
      }
    };
  }

  /** Lets the stub file hold a dynamic-proxy stub and nothing else. */
  private static ObjectInputFilter.Status stubOnly(ObjectInputFilter.FilterInfo info) {
    Class<?> c = info.serialClass();
    if (c == null) {
      return info.depth() > 8 ? ObjectInputFilter.Status.REJECTED
          : ObjectInputFilter.Status.UNDECIDED;
    }
    return Proxy.isProxyClass(c) || c == Proxy.class || c == RmiBench.class || c == Remote.class
        || c == RemoteObjectInvocationHandler.class || c == RemoteObject.class
        ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  }

  /** The client's callback object: answers the sum. */
  private static final class Sum implements RmiAdder {
    @Override
    public int add(int a, int b) {
      return a + b;
    }
  }

  /** Server sockets on 127.0.0.1 only. */
  private record LoopbackSockets() implements RMIServerSocketFactory {
    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return new ServerSocket(port, 256, InetAddress.getByName(GrpcSystem.LOOPBACK));
    }
  }
}
