package io.ipc4j.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose values travel by reference, never by value. A client that passes an
 * object as a parameter of such a type lets the server call that object back over the client's own
 * session (the server never connects to the client); a server method that returns such a type
 * gives the client a proxy to an object that stays on the server.
 *
 * <p>Each reference is valid on the session that carried it and nowhere else, and ends with that
 * session or when its holder releases it ({@link RemoteReference#release()}). Every proxy of a
 * reference implements {@link RemoteReference}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Remote {}
