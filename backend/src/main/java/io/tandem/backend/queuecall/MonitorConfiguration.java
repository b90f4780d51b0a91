package io.tandem.backend.queuecall;

import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.call.CallProperties;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.Bindings;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires live calls and supervisor monitors: the Redis list, the REST side, and the media side that calls
 * supervisors (its Redis writes on one bounded thread, in order; the supervisor's phone rings as long as an
 * ordinary call's callee may, {@code tandem.call.ring-timeout}).
 */
@Configuration(proxyBeanMethods = false)
class MonitorConfiguration {

    /** Redis writes of monitors waiting for the thread; beyond this they are dropped and logged. */
    private static final int BACKGROUND_QUEUE = 10_000;

    @Bean
    LiveCalls liveCalls(Redis redis, NodeRegistry nodes, AcdScripts scripts) {
        return new LiveCalls(redis, nodes, scripts);
    }

    @Bean
    CallMonitors callMonitors(LiveCalls live, Directory directory, Bindings bindings) {
        return new CallMonitors(live, directory, bindings);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService monitorBackground() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKGROUND_QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "tandem-monitor");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Bean
    MonitorLegs monitorLegs(QueueCalls calls, LiveCalls live, ExecutorService monitorBackground,
            CallProperties call) {
        return new MonitorLegs(calls, live, monitorBackground, call.ringTimeout().toSeconds());
    }

    @Bean
    MonitorChannel monitorChannel(Redis redis, NodeIdentity identity, MonitorLegs legs) {
        return new MonitorChannel(redis, identity.id(), legs);
    }
}
