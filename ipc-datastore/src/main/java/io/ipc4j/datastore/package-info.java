/**
 * The shared key-value data store: the {@link io.ipc4j.datastore.DataStore} contract, the
 * persistent {@link io.ipc4j.datastore.FileDataStore} that {@code ipc serve} exposes by default,
 * the caching, retrying {@link io.ipc4j.datastore.DataStoreClient}, and watches ({@link
 * io.ipc4j.datastore.Watch}) that tell a {@link io.ipc4j.datastore.ChangeListener} each {@link
 * io.ipc4j.datastore.Change} as it happens.
 */
package io.ipc4j.datastore;
