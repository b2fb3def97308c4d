/**
 * The shared key-value data store: the {@link io.ipc4j.datastore.DataStore} contract, the
 * persistent {@link io.ipc4j.datastore.FileDataStore} that {@code ipc serve} exposes by default,
 * and the caching, retrying {@link io.ipc4j.datastore.DataStoreClient}.
 */
package io.ipc4j.datastore;
