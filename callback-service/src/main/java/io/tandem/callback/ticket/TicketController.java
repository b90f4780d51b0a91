package io.tandem.callback.ticket;

import io.tandem.callback.security.Supervisor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/tickets}: the callback tickets of the signed-in supervisor's tenant — list (filter by state and
 * queue), get, assign to an agent, cancel. Bad input is a 400 problem (RFC 9457) naming the field and what it
 * allows; an unknown ticket is 404; a ticket someone is working (offered, dialling, connected) or that is finished
 * cannot be assigned or cancelled: 409 with its state.
 */
@RestController
@RequestMapping("/api/v1/tickets")
class TicketController {

    /** Extensions and queue numbers, as the nodes accept them. */
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TICKET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private final Tickets tickets;
    private final TicketProperties properties;
    private final TicketWork work;

    TicketController(Tickets tickets, TicketProperties properties, TicketWork work) {
        this.work = work;
        this.tickets = tickets;
        this.properties = properties;
    }

    /** The body of an assignment. */
    record Assignment(String agent) {
    }

    @GetMapping
    List<Ticket> list(@AuthenticationPrincipal Supervisor supervisor,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String queue,
            @RequestParam(required = false) String limit) {
        Optional<TicketState> wanted = Optional.empty();
        if (state != null) {
            wanted = TicketState.of(state);
            if (wanted.isEmpty()) {
                throw new BadTicketRequest("state", "must be one of " + TicketState.allowed());
            }
        }
        if (queue != null && !EXTENSION.matcher(queue).matches()) {
            throw new BadTicketRequest("queue", "must be a queue number (letters, digits, '.', '_', '-')");
        }
        int max = properties.listLimit();
        if (limit != null) {
            try {
                max = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1 || max > 1000) {
                throw new BadTicketRequest("limit", "must be a whole number from 1 to 1000");
            }
        }
        return tickets.list(supervisor.tenant(), wanted, Optional.ofNullable(queue), max);
    }

    @GetMapping("/{id}")
    ResponseEntity<?> get(@AuthenticationPrincipal Supervisor supervisor, @PathVariable String id) {
        checkId(id);
        return tickets.find(supervisor.tenant(), id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound(id));
    }

    @PostMapping("/{id}/assign")
    ResponseEntity<?> assign(@AuthenticationPrincipal Supervisor supervisor, @PathVariable String id,
            @RequestBody(required = false) Assignment body) {
        checkId(id);
        if (body == null || body.agent() == null || !EXTENSION.matcher(body.agent()).matches()) {
            throw new BadTicketRequest("agent", "must be an agent's extension (letters, digits, '.', '_', '-')");
        }
        Tickets.Change change = tickets.assign(supervisor.tenant(), id, body.agent());
        if (change instanceof Tickets.Change.Done done) {
            work.assigned(supervisor.tenant(), done.ticket());
        }
        return answer(id, change, "assigned");
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<?> cancel(@AuthenticationPrincipal Supervisor supervisor, @PathVariable String id) {
        checkId(id);
        Tickets.Change change = tickets.cancel(supervisor.tenant(), id, supervisor.extension());
        if (change instanceof Tickets.Change.Done done) {
            work.cancelled(supervisor.tenant(), done.ticket());
        }
        return answer(id, change, "cancelled");
    }

    private static void checkId(String id) {
        if (!TICKET_ID.matcher(id).matches()) {
            throw new BadTicketRequest("id", "must be a ticket id");
        }
    }

    private static ResponseEntity<?> answer(String id, Tickets.Change change, String verb) {
        if (change instanceof Tickets.Change.Done done) {
            return ResponseEntity.ok(done.ticket());
        }
        if (change instanceof Tickets.Change.Conflict conflict) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "ticket " + id + " is "
                    + conflict.state().wire() + "; only an open or retry-wait ticket can be " + verb
                    + (conflict.state().waiting() || conflict.state().isFinal() ? ""
                            : " (a ticket offered to an agent or being dialled is not stopped mid-call)"));
            problem.setTitle("Ticket not waiting");
            problem.setProperty("state", conflict.state().wire());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
        }
        return notFound(id);
    }

    private static ResponseEntity<?> notFound(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no ticket " + id);
        problem.setTitle("Unknown ticket");
        problem.setType(URI.create("about:blank"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    /** A request parameter or body field that is not acceptable: answered as a 400 problem naming it. */
    static final class BadTicketRequest extends RuntimeException {
        private final String field;

        BadTicketRequest(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        ProblemDetail problem() {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    field + " " + getMessage());
            problem.setTitle("Invalid request");
            problem.setProperty("errors", List.of(Map.of("field", field, "message", getMessage())));
            return problem;
        }
    }
}
