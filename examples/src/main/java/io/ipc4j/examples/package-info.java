/** Runnable examples of ipc4j, one package per topic; see examples/README.md. */
package io.ipc4j.examples;
