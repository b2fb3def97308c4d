/**
 * The {@code ipc} command: {@code serve}, {@code call}, {@code describe} and {@code health}. The
 * entry point is {@link io.ipc4j.cli.Main}; everything else is package-private.
 */
package io.ipc4j.cli;
