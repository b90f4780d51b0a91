package io.tandem.backend.tickets;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.redis.Keys;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's callback tickets on any node (supervisors of the tenant): listed by state, assigned to an agent,
 * cancelled. The callback service's own API ({@code /api/v1/tickets} on its port) offers the same; this one needs no
 * second address. Each change is announced as the service announces it ({@value #EVENT}).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/callback-tickets")
class TicketController {

    static final String EVENT = "callback.ticket";
    static final List<String> STATES = List.of("open", "offered", "dialling", "connected", "retry-wait", "done",
            "failed", "cancelled");
    /** The newest tickets looked at by one list. */
    private static final int SCAN = 1_000;

    private final CallbackTickets tickets;
    private final AcdScripts scripts;

    TicketController(CallbackTickets tickets, AcdScripts scripts) {
        this.tickets = tickets;
        this.scripts = scripts;
    }

    /** The body of an assignment. */
    record Assignment(String agent) {
    }

    /** {@code state}: comma-separated states (all when absent), newest ticket first. */
    @GetMapping
    List<CallbackTicket> list(@PathVariable String tenant, @RequestParam(required = false) String state) {
        Set<String> states = new LinkedHashSet<>();
        if (state != null && !state.isBlank()) {
            for (String one : state.split(",")) {
                if (!STATES.contains(one.strip())) {
                    throw AcdProblems.invalid("state", "must be one of " + String.join(", ", STATES));
                }
                states.add(one.strip());
            }
        }
        return tickets.list(tenant, states, SCAN);
    }

    @PostMapping("/{id}/assign")
    CallbackTicket assign(@PathVariable String tenant, @PathVariable String id,
            @RequestBody(required = false) Assignment body) {
        if (body == null || body.agent() == null || !Keys.EXTENSION.matcher(body.agent()).matches()) {
            throw AcdProblems.invalid("agent", "must be an agent's extension");
        }
        return answer(tenant, id, tickets.assign(tenant, id, body.agent()));
    }

    @PostMapping("/{id}/cancel")
    CallbackTicket cancel(@PathVariable String tenant, @PathVariable String id,
            @AuthenticationPrincipal TenantPrincipal me) {
        return answer(tenant, id, tickets.cancel(tenant, id, me == null ? "" : me.extension()));
    }

    private CallbackTicket answer(String tenant, String id, CallbackTickets.Change change) {
        if (change instanceof CallbackTickets.Change.Done done) {
            CallbackTicket ticket = done.ticket();
            scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), EVENT, ticket.queue(),
                    ticket.assignee(), "", "ticket", ticket.id(), "state", ticket.state());
            return ticket;
        }
        if (change instanceof CallbackTickets.Change.Refused refused) {
            throw AcdProblems.status(HttpStatus.CONFLICT, "Ticket not waiting", "ticket " + id + " is "
                    + refused.state() + "; only an open or retry-wait ticket can be assigned or cancelled");
        }
        throw AcdProblems.status(HttpStatus.NOT_FOUND, "No such ticket", "no callback ticket " + id);
    }
}
