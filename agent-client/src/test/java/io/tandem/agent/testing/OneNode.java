package io.tandem.agent.testing;

import io.tandem.telephony.testing.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real node process on its own redis-server for a whole test class ({@code @RegisterExtension static}): started
 * before the first test, both stopped after the last.
 */
public final class OneNode implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private RedisServer redis;
    private NodeProcess node;

    public OneNode(String name) {
        this.name = name;
    }

    public NodeProcess node() {
        if (node == null) {
            throw new IllegalStateException("node " + name + " is not started (register OneNode as a static field)");
        }
        return node;
    }

    /** The node's Redis (address for a test that plays another process of the cluster, e.g. the callback service). */
    public RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("Redis of " + name + " is not started (register OneNode as a static field)");
        }
        return redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = RedisServer.started();
        node = NodeProcess.start(name, redis);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
