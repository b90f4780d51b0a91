package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.agents.AgentTokens;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.cluster.NodeInfo;
import io.tandem.backend.cluster.NodeRegistry;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.Role;
import io.tandem.backend.directory.User;
import io.tandem.backend.node.NodeAddresses;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.NodeEndpoint;
import io.tandem.protocol.SipAccount;
import io.tandem.protocol.StateChange;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent's own session ({@link ApiPaths}): login with HTTP Basic returns a bearer token; with it the agent reads
 * and changes their state and logs out. An agent sees only their own session.
 */
@RestController
class AgentController {

    private final AgentSessions sessions;
    private final AgentTokens tokens;
    private final Queues queues;
    private final Directory directory;
    private final NodeRegistry registry;
    private final NodeIdentity identity;
    private final AcdProperties properties;
    private final Dispatcher dispatcher;
    private final AcdScripts scripts;

    AgentController(AgentSessions sessions, AgentTokens tokens, Queues queues, Directory directory,
            NodeRegistry registry, NodeIdentity identity, AcdProperties properties, Dispatcher dispatcher,
            AcdScripts scripts) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.queues = queues;
        this.directory = directory;
        this.registry = registry;
        this.identity = identity;
        this.properties = properties;
        this.dispatcher = dispatcher;
        this.scripts = scripts;
    }

    @PostMapping(ApiPaths.AGENT_LOGIN)
    AgentLogin login(@AuthenticationPrincipal TenantPrincipal me, HttpServletRequest request) {
        User user = directory.find(me.tenant(), me.extension())
                .orElseThrow(() -> AcdProblems.status(HttpStatus.UNAUTHORIZED, "Unknown user", "log in again"));
        AgentStatus status = sessions.login(me.tenant(), me.extension(), queues.membership(me.tenant(),
                me.extension()));
        String token = tokens.issue(me.tenant(), me.extension(), user.roles());
        return new AgentLogin(token, me.tenant(), me.extension(), user.displayName(),
                new SipAccount(me.extension(), me.tenant(), me.tenant()), nodes(request), properties.notReadyReasons(),
                scripts.clock().instant().plus(properties.tokenTtl()), status);
    }

    @GetMapping(ApiPaths.AGENT_ME)
    AgentStatus me(@AuthenticationPrincipal TenantPrincipal me) {
        return sessions.status(me.tenant(), me.extension());
    }

    /** Logs the agent out and ends the token it used. */
    @DeleteMapping(ApiPaths.AGENT_ME)
    AgentStatus logout(@AuthenticationPrincipal TenantPrincipal me, HttpServletRequest request) {
        AgentStatus status = sessions.change(me.tenant(), me.extension(), AgentState.LOGGED_OUT, "",
                AgentSessions.Actor.AGENT);
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            tokens.revoke(authorization.substring(7).trim());
        }
        return status;
    }

    @PutMapping(ApiPaths.AGENT_STATE)
    AgentStatus change(@AuthenticationPrincipal TenantPrincipal me, @RequestBody StateChange change) {
        return apply(sessions, properties, dispatcher, me.tenant(), me.extension(), change, AgentSessions.Actor.AGENT);
    }

    /** Any agent's session: the agent themself, or a supervisor of the tenant. */
    @GetMapping("/api/v1/agents/{agentId}")
    AgentStatus one(@AuthenticationPrincipal TenantPrincipal me, @PathVariable String agentId) {
        if (!agentId.equals(me.extension()) && !holds(me, Role.SUPERVISOR)) {
            throw AcdProblems.status(HttpStatus.FORBIDDEN, "Forbidden", "an agent sees only their own session");
        }
        return sessions.status(me.tenant(), agentId);
    }

    @ExceptionHandler(AgentSessions.RefusedException.class)
    ResponseEntity<ProblemDetail> refused(AgentSessions.RefusedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(AcdProblems.refused(e));
    }

    /** Validates a requested state change, applies it, and lets the dispatcher know when an agent became free. */
    static AgentStatus apply(AgentSessions sessions, AcdProperties properties, Dispatcher dispatcher, String tenant,
            String agentId, StateChange change, AgentSessions.Actor actor) {
        if (change == null || change.state() == null) {
            throw AcdProblems.invalid("state", "required: available, not-ready or logged-out");
        }
        AgentState target = change.state();
        if (target != AgentState.AVAILABLE && target != AgentState.NOT_READY && target != AgentState.LOGGED_OUT) {
            throw AcdProblems.invalid("state", "must be available, not-ready or logged-out (the others are set by"
                    + " calls)");
        }
        String reason = change.reason() == null ? "" : change.reason();
        if (target == AgentState.NOT_READY && !properties.notReadyReasons().contains(reason)) {
            throw AcdProblems.invalid("reason", "not-ready needs one of " + properties.notReadyReasons());
        }
        AgentStatus status = sessions.change(tenant, agentId, target, reason, actor);
        if (status.state() == AgentState.AVAILABLE) {
            dispatcher.agentsFreed(tenant);
        }
        return status;
    }

    static boolean holds(TenantPrincipal principal, Role role) {
        return principal.roles().stream().anyMatch(held -> held.compareTo(role) >= 0);
    }

    /** This node first, then the other live nodes: the order the softphone fails over in. */
    private List<NodeEndpoint> nodes(HttpServletRequest request) {
        List<NodeEndpoint> nodes = new ArrayList<>();
        List<NodeInfo> alive = registry.aliveNodes();
        NodeInfo self = alive.stream().filter(n -> n.id().equals(identity.id())).findFirst().orElse(null);
        if (self != null) {
            nodes.add(new NodeEndpoint(self.id(), self.sip(), self.http()));
        } else {
            nodes.add(new NodeEndpoint(identity.id(), "", "http://" + request.getLocalAddr() + ":"
                    + request.getLocalPort()));
        }
        for (NodeInfo node : alive) {
            if (!node.id().equals(identity.id())) {
                nodes.add(new NodeEndpoint(node.id(), node.sip(), node.http()));
            }
        }
        return nodes;
    }
}
