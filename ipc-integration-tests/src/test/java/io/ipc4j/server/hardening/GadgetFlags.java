package io.ipc4j.server.hardening;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records which gadget fixtures were ever initialised: each gadget's static initializer adds its
 * name here. Tests name the gadgets only as text, so nothing but the code under test could
 * initialise them.
 */
final class GadgetFlags {
  /** Named in parameter_types. */
  static final String GADGET = "io.ipc4j.server.hardening.Gadget";
  /** Named as the value of type-hint keys ({@code @class}, {@code $type}, {@code @type}). */
  static final String HINT_GADGET = "io.ipc4j.server.hardening.HintGadget";
  /** Named as a method, alone and with its static initializer's name. */
  static final String METHOD_GADGET = "io.ipc4j.server.hardening.MethodGadget";
  /** Named by a malicious server as the class of a remote exception. */
  static final String ERROR_GADGET = "io.ipc4j.server.hardening.ErrorGadget";
  /** Every gadget of this package. */
  static final List<String> ALL = List.of(GADGET, HINT_GADGET, METHOD_GADGET, ERROR_GADGET);

  /**
   * JDK and library classes of known deserialization gadget chains, named in requests too. The
   * JDK ones that no test loads on purpose are checked in the class-load log.
   */
  static final List<String> JDK_GADGETS = List.of("java.lang.Runtime", "java.lang.ProcessBuilder",
      "javax.script.ScriptEngineManager", "com.sun.rowset.JdbcRowSetImpl",
      "org.apache.commons.collections.functors.InvokerTransformer",
      "javax.management.BadAttributeValueExpException", "java.rmi.server.UnicastRemoteObject");

  private static final Set<String> INITIALISED = ConcurrentHashMap.newKeySet();

  private GadgetFlags() {}

  /** Called by a gadget's static initializer. */
  static void initialised(String name) {
    INITIALISED.add(name);
  }

  /** The gadgets initialised so far, sorted; empty when the code under test loaded none. */
  static Set<String> initialised() {
    return new TreeSet<>(INITIALISED);
  }
}
