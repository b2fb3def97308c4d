/**
 * The ipc4j wire contract, generated from {@code ipc/v1/ipc.proto}: the {@code InvokeService}
 * with its request, response, description and error messages. Clients in other languages use the
 * same file, or the server's reflection service.
 */
package io.ipc4j.proto.v1;
