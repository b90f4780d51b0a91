package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.agents.Presence;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.QueueStatistics;
import io.tandem.backend.acd.events.LiveEvents;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.protocol.ApiPaths;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The agent and supervisor WebSockets (plain RFC 6455, JSON envelopes). Authentication happens on the HTTP
 * handshake (bearer token or Basic, see api.SecurityConfiguration), so any origin may connect with those. The
 * supervisor socket also accepts the panel's session cookie; that handshake is held to the node's own origin by the
 * panel's filter chain (web.SameOriginSocketFilter), before it gets here.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentSocket agentSocket;
    private final SupervisorSocket supervisorSocket;

    private final QueueFiguresPush figuresPush;

    WebSocketConfiguration(AgentSessions sessions, LiveEvents events, Presence presence, Callers callers, Queues queues,
            QueueStatistics statistics, Clock clock) {
        this.agentSocket = new AgentSocket(sessions, events, presence, callers, clock);
        this.supervisorSocket = new SupervisorSocket(events, clock);
        this.figuresPush = new QueueFiguresPush(agentSocket, supervisorSocket, queues, statistics, clock);
    }

    /**
     * Connected agents get their queues' figures when they change, and connected supervisors every queue's, checked
     * with the sweep (every second by default; never more often than that, as the waiting time shown counts in
     * seconds).
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> queueFiguresPushStarter(ScheduledExecutorService acdSweepExecutor,
            AcdProperties properties) {
        long every = Math.max(1_000, properties.sweepInterval().toMillis());
        return event -> acdSweepExecutor.scheduleWithFixedDelay(figuresPush, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(agentSocket, ApiPaths.WS_AGENT).setAllowedOriginPatterns("*");
        registry.addHandler(supervisorSocket, ApiPaths.WS_SUPERVISOR).setAllowedOriginPatterns("*")
                .addInterceptors(supervisorSocket.cursorAtHandshake());
    }
}
