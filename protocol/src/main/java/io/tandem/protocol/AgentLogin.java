package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Answer to {@link ApiPaths#AGENT_LOGIN}: the bearer token for the agent API and WebSocket, the SIP account, the
 * nodes to register to in order of preference (fail over down the list), and the not-ready reasons of the tenant.
 */
public record AgentLogin(
        @JsonProperty("token") String token,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("agentId") String agentId,
        @JsonProperty("displayName") String displayName,
        @JsonProperty("sip") SipAccount sip,
        @JsonProperty("nodes") List<NodeEndpoint> nodes,
        @JsonProperty("notReadyReasons") List<String> notReadyReasons,
        @JsonProperty("expiresAt") Instant expiresAt,
        @JsonProperty("status") AgentStatus status) {

    public AgentLogin {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        notReadyReasons = notReadyReasons == null ? List.of() : List.copyOf(notReadyReasons);
    }
}
