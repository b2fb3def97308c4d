/**
 * Internal to ipc4j: public only so that ipc4j's own modules can share it. Not an API; it changes
 * without notice. Do not use it from your code.
 */
package io.ipc4j.core.internal;
