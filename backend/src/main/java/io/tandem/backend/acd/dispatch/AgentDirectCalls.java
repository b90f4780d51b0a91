package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.call.PartyCalls;
import io.tandem.backend.directory.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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

    private final Directory directory;

    AgentDirectCalls(AgentSessions sessions, Dispatcher dispatcher, Directory directory) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.directory = directory;
    }

    /**
     * A node that starts carries no call: what it counted before a crash and restart is cleared. Once the node is
     * ready, so after its heartbeat has joined the cluster: a second process started by mistake with a live node's id
     * is refused there, before it could clear the live node's counts.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void clearAfterRestart() {
        for (String tenant : directory.tenants()) {
            sessions.clearDirectCalls(tenant);
        }
        log.debug("direct-call counts of this node cleared");
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
