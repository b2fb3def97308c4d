package io.ipc4j.server;

/**
 * An argument of a {@link io.ipc4j.core.Remote} parameter as decoded: the id of the caller's
 * object, which the session it came on turns into a proxy ({@link SessionReferences#imported}).
 *
 * @param id the reference id the client sent
 * @param iface the parameter's interface, the only one the proxy calls through
 * @param parameter the parameter's name, for messages
 */
record ReferenceArgument(String id, Class<?> iface, String parameter) {}
