/**
 * The contract between the nodes and the callback service: the Redis keys both sides use and the entries of the
 * streams between them. Nodes and services never share memory; they talk only through these streams (consumer
 * groups, idempotent commands) and the few hashes named here. Both sides encode and decode entries with the records
 * of this package, so a field is named in one place.
 */
package io.tandem.protocol.callback;
