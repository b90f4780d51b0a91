package io.tandem.backend.acd.dispatch;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.agents.Presence;
import io.tandem.backend.acd.events.LiveEvents;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.NodeProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/** Wires dispatch and the sweeper; the offer placer is the B2BUA's when it provides one. */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService acdDispatchExecutor() {
        return Executors.newSingleThreadExecutor(daemon("tandem-acd-dispatch"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService acdSweepExecutor() {
        return Executors.newSingleThreadScheduledExecutor(daemon("tandem-acd-sweep"));
    }

    @Bean
    Dispatcher dispatcher(Claims claims, Queues queues, LiveNodes nodes, ObjectProvider<OfferPlacer> placers,
            ExecutorService acdDispatchExecutor, ScheduledExecutorService acdSweepExecutor, LiveEvents events,
            AcdScripts scripts) {
        OfferPlacer placer = placers.getIfAvailable(LogOnlyOfferPlacer::new);
        Dispatcher dispatcher = new Dispatcher(claims, queues, nodes, placer, acdDispatchExecutor, acdSweepExecutor,
                scripts.nodeId());
        events.addForEveryTenant(dispatcher::onEvent);
        return dispatcher;
    }

    @Bean
    Sweeper sweeper(Directory directory, Queues queues, Callers callers, Claims claims, Dispatcher dispatcher,
            LiveNodes nodes, Presence presence, AcdProperties properties, NodeProperties node) {
        return new Sweeper(directory, queues, callers, claims, dispatcher, nodes, presence, properties,
                new LostNodes(node.heartbeatTtl(), System::currentTimeMillis));
    }

    /** Sweeping starts once the node is ready (seeded, listening). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> acdSweepStarter(Sweeper sweeper, ScheduledExecutorService
            acdSweepExecutor, AcdProperties properties) {
        return event -> acdSweepExecutor.scheduleWithFixedDelay(sweeper, 0,
                properties.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sweeping and dispatching as soon as the node starts closing, before Redis goes away. */
    @Bean
    ApplicationListener<ContextClosedEvent> acdStopper(ExecutorService acdDispatchExecutor,
            ScheduledExecutorService acdSweepExecutor) {
        return event -> {
            acdSweepExecutor.shutdownNow();
            acdDispatchExecutor.shutdownNow();
        };
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
