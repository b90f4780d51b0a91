package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.queues.Queues;

/**
 * The cluster-wide call distributor as queue calls use it, all in Redis: the queues' definitions, the callers
 * waiting in them (join, leave, position; the queue log), the claims that reserve agents for offers, and the
 * dispatcher that makes claims.
 */
record Acd(Queues queues, Callers callers, Claims claims, Dispatcher dispatcher) {
}
