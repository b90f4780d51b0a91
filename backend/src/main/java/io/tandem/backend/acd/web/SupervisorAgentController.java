package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.StateChange;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A supervisor steering agents of their tenant (the path's tenant is checked by the security configuration): list
 * sessions, force a state (may cut a ringing offer), log an agent out.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/agents")
class SupervisorAgentController {

    private final AgentSessions sessions;
    private final AcdProperties properties;
    private final Dispatcher dispatcher;

    SupervisorAgentController(AgentSessions sessions, AcdProperties properties, Dispatcher dispatcher) {
        this.sessions = sessions;
        this.properties = properties;
        this.dispatcher = dispatcher;
    }

    @GetMapping
    List<AgentStatus> list(@PathVariable String tenant) {
        return sessions.sessions(tenant);
    }

    @GetMapping("/{agentId}")
    AgentStatus one(@PathVariable String tenant, @PathVariable String agentId) {
        return sessions.status(tenant, agentId);
    }

    @PutMapping("/{agentId}/state")
    AgentStatus force(@PathVariable String tenant, @PathVariable String agentId, @RequestBody StateChange change) {
        return AgentController.apply(sessions, properties, dispatcher, tenant, agentId, change,
                AgentSessions.Actor.SUPERVISOR);
    }

    @DeleteMapping("/{agentId}")
    AgentStatus logout(@PathVariable String tenant, @PathVariable String agentId) {
        AgentStatus status = sessions.change(tenant, agentId, AgentState.LOGGED_OUT, "", AgentSessions.Actor.SUPERVISOR);
        dispatcher.agentsFreed(tenant); // a cut offer's caller may go to someone else
        return status;
    }

    @ExceptionHandler(AgentSessions.RefusedException.class)
    ResponseEntity<ProblemDetail> refused(AgentSessions.RefusedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(AcdProblems.refused(e));
    }
}
