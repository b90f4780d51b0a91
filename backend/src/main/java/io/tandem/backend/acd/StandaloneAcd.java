package io.tandem.backend.acd;

import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Claims;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.dispatch.LiveNodes;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Redis;
import java.time.Clock;
import java.time.Duration;

/**
 * The ACD's Redis core without Spring, for tools that drive it directly (the claim benchmark): sessions, queues,
 * callers and claims as one node with the given id and clock sees them. Nothing is dispatched by itself here; the
 * tool claims.
 */
public final class StandaloneAcd {

    private final AgentSessions sessions;
    private final Queues queues;
    private final Callers callers;
    private final Claims claims;

    public StandaloneAcd(Redis redis, Clock clock, String nodeId, AcdProperties properties) {
        AcdScripts scripts = new AcdScripts(redis, clock, new NodeIdentity(nodeId, "", "standalone"), properties);
        this.sessions = new AgentSessions(redis, scripts);
        this.queues = new Queues(redis);
        this.claims = new Claims(scripts, properties);
        Dispatcher manual = new Dispatcher(claims, queues, new LiveNodes(new NodeRegistry(redis, nodeId, Duration.ZERO), scripts),
                grant -> { }, task -> { });
        this.callers = new Callers(redis, scripts, queues, manual);
    }

    /** {@link AcdProperties} with every default, as a node without {@code tandem.acd.*} settings has them. */
    public static AcdProperties defaults() {
        return new AcdProperties(java.util.List.of("break", "lunch", "meeting", "training", "after-call-work"),
                java.time.Duration.ofHours(12), java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30), 50, 10, 100_000, 100_000, "", true);
    }

    public AgentSessions sessions() {
        return sessions;
    }

    public Queues queues() {
        return queues;
    }

    public Callers callers() {
        return callers;
    }

    public Claims claims() {
        return claims;
    }
}
