package io.tandem.backend.queuecall;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.redis.Subscription;
import org.springframework.context.SmartLifecycle;

/**
 * This node's monitor channel ({@link Keys#nodeMonitors}): the node that takes a monitor request publishes it here
 * when this node holds the call's media, as offers travel on the offer channel. Lettuce resubscribes by itself
 * after a Redis reconnect.
 */
final class MonitorChannel implements SmartLifecycle {

    private final Redis redis;
    private final String nodeId;
    private final MonitorLegs legs;
    private volatile Subscription subscription;

    MonitorChannel(Redis redis, String nodeId, MonitorLegs legs) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.legs = legs;
    }

    @Override
    public void start() {
        subscription = Subscription.to(redis, Keys.nodeMonitors(nodeId), legs::received);
    }

    @Override
    public void stop() {
        Subscription open = subscription;
        subscription = null;
        if (open != null) {
            open.close();
        }
        legs.close();
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
