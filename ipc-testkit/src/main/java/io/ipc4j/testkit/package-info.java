/**
 * Testing with ipc4j: {@link io.ipc4j.testkit.IpcExtension} runs the real {@code IpcServer} and
 * {@code IpcClient} over grpc's in-process transport for a JUnit 5 test, fails the test when
 * something is left running after it, and injects faults through {@link
 * io.ipc4j.testkit.IpcFaults}.
 */
package io.ipc4j.testkit;
