package io.tandem.backend.queuecall;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
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
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    MonitorChannel(Redis redis, String nodeId, MonitorLegs legs) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.legs = legs;
    }

    @Override
    public void start() {
        StatefulRedisPubSubConnection<String, String> open = redis.pubSub();
        open.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                legs.received(message);
            }
        });
        open.sync().subscribe(Keys.nodeMonitors(nodeId));
        connection = open;
    }

    @Override
    public void stop() {
        StatefulRedisPubSubConnection<String, String> open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
        legs.close();
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }
}
