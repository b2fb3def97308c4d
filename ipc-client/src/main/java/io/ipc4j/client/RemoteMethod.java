package io.ipc4j.client;

import java.util.List;

/**
 * One method an object exposes, as the server describes it.
 *
 * @param name the method's name
 * @param parameterNames the parameter names (arg0… when the server's classes were compiled without
 *     {@code -parameters})
 * @param parameterTypes the generic parameter types, as Java writes them
 * @param returnType the generic return type
 * @param exceptions the exception types the method declares
 * @param oneway whether callers need not wait for it
 * @param streaming whether its items are streamed
 */
public record RemoteMethod(
    String name,
    List<String> parameterNames,
    List<String> parameterTypes,
    String returnType,
    List<String> exceptions,
    boolean oneway,
    boolean streaming) {

  /** The signature as Java writes it: {@code int add(int a, int b)}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(returnType).append(' ').append(name).append('(');
    for (int i = 0; i < parameterTypes.size(); i++) {
      s.append(i > 0 ? ", " : "").append(parameterTypes.get(i)).append(' ')
          .append(parameterNames.get(i));
    }
    s.append(')');
    if (!exceptions.isEmpty()) {
      s.append(" throws ").append(String.join(", ", exceptions));
    }
    return s.toString();
  }
}
