package io.ipc4j.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Promises that a method never blocks and returns quickly (no I/O, no locks held by others, no
 * waiting), so that the server may run it on the transport thread that read the call instead of
 * handing it to its call pool: one thread hand-off less per call, the fastest way to serve small
 * calls. Put it on the exposed interface's method or on the implementation's.
 *
 * <p>The server runs it on its call pool anyway where that is safer or needed: for an object
 * exposed as {@code SERIALIZED}, for streaming methods, for a method whose name is overloaded and
 * for requests larger than 16 KiB. An inline method is never interrupted. A method marked so that
 * does block stalls every call on the same connection while it does: only mark what is safe by
 * construction.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NonBlocking {}
