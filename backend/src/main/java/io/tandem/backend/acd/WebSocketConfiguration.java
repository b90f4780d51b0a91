package io.tandem.backend.acd;

import io.tandem.protocol.ApiPaths;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The agent and supervisor WebSockets (plain RFC 6455, JSON envelopes). Authentication happens on the HTTP
 * handshake (bearer token or Basic, see api.SecurityConfiguration); any origin may connect because no cookie
 * authenticates anything here.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentSocket agentSocket;
    private final SupervisorSocket supervisorSocket;

    WebSocketConfiguration(AgentSessions sessions, LiveEvents events, Presence presence, Callers callers, Clock clock) {
        this.agentSocket = new AgentSocket(sessions, events, presence, callers, clock);
        this.supervisorSocket = new SupervisorSocket(events);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(agentSocket, ApiPaths.WS_AGENT).setAllowedOriginPatterns("*");
        registry.addHandler(supervisorSocket, ApiPaths.WS_SUPERVISOR).setAllowedOriginPatterns("*")
                .addInterceptors(supervisorSocket.cursorAtHandshake());
    }
}
