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
import io.tandem.backend.redis.RedisProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The ACD's Redis side as one node sees it, without Spring: scripts, sessions, queues, callers and claims on a real
 * Redis, with the node id and clock the test chooses. Several fixtures on one Redis are several nodes.
 */
final class AcdFixture implements AutoCloseable {

    static final String TENANT = "demo";

    final Redis redis;
    final AcdScripts scripts;
    final AgentSessions sessions;
    final Queues queues;
    final Claims claims;
    final Callers callers;

    AcdFixture(String redisUri, String nodeId, Clock clock) {
        this(redisUri, nodeId, clock, properties());
    }

    AcdFixture(String redisUri, String nodeId, Clock clock, AcdProperties properties) {
        this(new RedisProperties(redisUri, 0, Duration.ofSeconds(10), 100_000, 10_000), nodeId, clock, properties);
    }

    /** On a Redis configured beyond its URI (the replica settings, for a Sentinel-managed one). */
    AcdFixture(RedisProperties redisProperties, String nodeId, Clock clock, AcdProperties properties) {
        this.redis = Redis.connect(redisProperties);
        this.scripts = new AcdScripts(redis, clock, new NodeIdentity(nodeId, "secret-secret-secret", "test"),
                properties);
        this.sessions = new AgentSessions(redis, scripts);
        this.queues = new Queues(redis);
        this.claims = new Claims(scripts, properties);
        Dispatcher idle = new Dispatcher(claims, queues, new LiveNodes(new NodeRegistry(redis, nodeId, Duration.ZERO), scripts),
                grant -> { }, task -> { }); // the test claims itself
        this.callers = new Callers(redis, scripts, queues, idle);
    }

    static AcdProperties properties() {
        return new AcdProperties(List.of("break", "lunch"), Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30), 50, 10, 100_000, 100_000, "",
                false);
    }

    /** Logs the agent in and makes them available. */
    void available(String agentId, String... queueNumbers) {
        sessions.login(TENANT, agentId, List.of(queueNumbers));
        sessions.change(TENANT, agentId, io.tandem.protocol.AgentState.AVAILABLE, "", AgentSessions.Actor.AGENT);
    }

    Callers.Joined enqueue(String queue, String callId, int priority) {
        return callers.enqueue(TENANT, queue, callId, "+4930" + callId, "Caller " + callId, priority, Map.of(),
                Map.of("crm", callId));
    }

    String state(String agentId) {
        return AgentSessions.wire(sessions.status(TENANT, agentId).state());
    }

    @Override
    public void close() {
        redis.close();
    }
}
