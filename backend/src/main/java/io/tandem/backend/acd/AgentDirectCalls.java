package io.tandem.backend.acd;

import io.tandem.backend.call.PartyCalls;
import io.tandem.backend.directory.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps agents on a direct call out of queue offers: the B2BUA reports each party of an answered call whose leg this
 * node holds, and the claim skips an agent with a direct call counted on a live node. When the last one ends and the
 * agent is available, the queues are dispatched at once rather than at the next sweep.
 */
@Component
class AgentDirectCalls implements PartyCalls {

    private static final Logger log = LoggerFactory.getLogger(AgentDirectCalls.class);

    private final AgentSessions sessions;
    private final Dispatcher dispatcher;

    /** A node that starts carries no call: what it counted before a crash and restart is cleared. */
    AgentDirectCalls(AgentSessions sessions, Dispatcher dispatcher, Directory directory) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        for (String tenant : directory.tenants()) {
            sessions.clearDirectCalls(tenant);
        }
    }

    @Override
    public void joined(String tenant, String party) {
        sessions.directCall(tenant, party, 1);
    }

    @Override
    public void left(String tenant, String party) {
        if (sessions.directCall(tenant, party, -1)) {
            log.debug("agent {}@{} is free again after a direct call", party, tenant);
            dispatcher.agentsFreed(tenant);
        }
    }
}
