package io.tandem.backend.call;

import io.lettuce.core.RedisException;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.redis.Keys;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls that came in over the trunk outlive their entry node here: the entry node holds the caller's leg and writes
 * the call's record, so when it dies mid-call (its heartbeat key gone, {@link NodeRegistry}) nobody would BYE the
 * callee or record the call. Checked every heartbeat interval, each answered inbound-trunk call whose entry node is
 * no longer alive is hung up here (BYE to the callee) and recorded by this node with what it knows (cause
 * {@code node-lost}, both nodes).
 */
final class EntryNodeWatch {

    private static final Logger log = LoggerFactory.getLogger(EntryNodeWatch.class);

    private final Calls calls;
    private final NodeRegistry registry;
    /** True after a check failed on Redis, until one succeeds: the outage is logged once, not every second. */
    private boolean failing;

    EntryNodeWatch(Calls calls, NodeRegistry registry) {
        this.calls = calls;
        this.registry = registry;
    }

    /** One round: every entry node of an answered inbound-trunk call is asked once. Runs on the call timer. */
    void check() {
        Map<String, Boolean> alive = new HashMap<>();
        try {
            for (Bridge bridge : calls.bridges()) {
                String entry = bridge.entryNode();
                if (entry == null || bridge.state() != Bridge.State.ANSWERED) {
                    continue;
                }
                if (!alive.computeIfAbsent(entry, registry::isAlive)) {
                    log.warn("call {}: its entry node {} is gone; hanging up here and recording the call",
                            bridge.id(), entry);
                    bridge.entryNodeLost();
                }
            }
            if (failing) {
                log.info("entry nodes of trunk calls are checked again");
                failing = false;
            }
        } catch (RedisException e) {
            if (!failing) {
                log.warn("cannot check the entry nodes of trunk calls while Redis is away: {}", e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            // the timer thread must survive a bug here, or no call would be checked again
            log.error("checking the entry nodes of trunk calls failed", e);
        }
    }

    /** True for a node id as the trunk writes it. */
    static boolean isNodeId(String id) {
        return id != null && Keys.NODE.matcher(id).matches();
    }
}
