package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.dispatch.Callers;
import io.tandem.backend.acd.dispatch.Dispatcher;
import io.tandem.backend.acd.dispatch.QueueEntry;
import io.tandem.backend.acd.dispatch.QueueStatistics;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.directory.Role;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.QueueFigures;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queues: definitions (admin writes, supervisor reads), live figures (agents see their own queues, supervisors all),
 * waiting callers (supervisor). The queue log is the reports package's.
 */
@RestController
class QueueController {

    private static final String BASE = "/api/v1/tenants/{tenant}/queues";
    static final String QUEUE_SAVED = "queue.saved";
    static final String QUEUE_DELETED = "queue.deleted";

    private final Queues queues;
    private final Callers callers;
    private final QueueStatistics statistics;
    private final Dispatcher dispatcher;
    private final AcdScripts scripts;

    QueueController(Queues queues, Callers callers, QueueStatistics statistics, Dispatcher dispatcher,
            AcdScripts scripts) {
        this.queues = queues;
        this.callers = callers;
        this.statistics = statistics;
        this.dispatcher = dispatcher;
        this.scripts = scripts;
    }

    /** Figures of the queues the caller may see: an agent those they are a member of, a supervisor all. */
    @GetMapping("/api/v1/queues")
    List<QueueFigures> figures(@AuthenticationPrincipal TenantPrincipal me) {
        boolean all = AgentController.holds(me, Role.SUPERVISOR);
        Instant now = scripts.clock().instant();
        List<QueueFigures> figures = new ArrayList<>();
        for (QueueDefinition queue : queues.list(me.tenant())) {
            if (all || queue.members().stream().anyMatch(m -> m.agent().equals(me.extension()))) {
                figures.add(statistics.figures(me.tenant(), queue, now));
            }
        }
        return figures;
    }

    @GetMapping(BASE)
    List<QueueDefinition> list(@PathVariable String tenant) {
        return queues.list(tenant);
    }

    @GetMapping(BASE + "/{number}")
    QueueDefinition one(@PathVariable String tenant, @PathVariable String number) {
        return queues.find(tenant, number).orElseThrow(() -> notFound(number));
    }

    @PostMapping(BASE)
    ResponseEntity<QueueDefinition> create(@PathVariable String tenant, @Valid @RequestBody QueueDefinition queue) {
        if (queues.save(tenant, queue, true) == Queues.Saved.EXISTS) {
            throw AcdProblems.status(HttpStatus.CONFLICT, "Queue exists", "queue " + queue.number() + " exists");
        }
        dispatcher.queueChanged(tenant, queue.number());
        announce(tenant, QUEUE_SAVED, queue.number());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/queues/" + queue.number()))
                .body(queue);
    }

    @PutMapping(BASE + "/{number}")
    QueueDefinition replace(@PathVariable String tenant, @PathVariable String number,
            @Valid @RequestBody QueueDefinition queue) {
        if (!queue.number().equals(number)) {
            throw AcdProblems.invalid("number", "must be the number in the path (" + number + ")");
        }
        queues.save(tenant, queue, false);
        dispatcher.queueChanged(tenant, number);
        announce(tenant, QUEUE_SAVED, number);
        return queue;
    }

    @DeleteMapping(BASE + "/{number}")
    ResponseEntity<Void> delete(@PathVariable String tenant, @PathVariable String number) {
        return switch (queues.delete(tenant, number)) {
            case DELETED -> {
                announce(tenant, QUEUE_DELETED, number);
                yield ResponseEntity.noContent().build();
            }
            case NOT_FOUND -> throw notFound(number);
            case CALLERS_WAITING -> throw AcdProblems.status(HttpStatus.CONFLICT, "Callers waiting",
                    "queue " + number + " has waiting callers; move them first");
        };
    }

    @GetMapping(BASE + "/{number}/callers")
    List<QueueEntry> callers(@PathVariable String tenant, @PathVariable String number) {
        one(tenant, number);
        return callers.waiting(tenant, number);
    }

    /** Moves a waiting caller: {@code {"to": "<queue>"}} to another queue, {@code {"to": "head"}} to the head. */
    @PostMapping(BASE + "/{number}/callers/{callId}/move")
    QueueEntry move(@PathVariable String tenant, @PathVariable String number, @PathVariable String callId,
            @RequestBody Map<String, String> body) {
        String to = body == null ? null : body.get("to");
        if (to == null || to.isBlank()) {
            throw AcdProblems.invalid("to", "required: 'head' or a queue number");
        }
        if (callers.find(tenant, number, callId).isEmpty()) {
            throw AcdProblems.status(HttpStatus.NOT_FOUND, "No such caller", callId + " is not waiting in " + number);
        }
        String target = to.equals("head") ? null : to;
        if (target != null && queues.find(tenant, target).isEmpty()) {
            throw AcdProblems.invalid("to", "no queue " + target);
        }
        callers.move(tenant, callId, target).orElseThrow(() -> AcdProblems.status(HttpStatus.CONFLICT,
                "Caller not waiting", callId + " was answered or left meanwhile"));
        return callers.find(tenant, target == null ? number : target, callId).orElseThrow(() -> AcdProblems.status(
                HttpStatus.CONFLICT, "Caller not waiting", callId + " was answered or left meanwhile"));
    }

    @GetMapping(BASE + "/{number}/figures")
    QueueFigures figures(@PathVariable String tenant, @PathVariable String number) {
        return statistics.figures(tenant, one(tenant, number), scripts.clock().instant());
    }

    /**
     * A tenant event for a changed definition, so a wallboard open since before shows a new queue (or drops a deleted
     * one) without a reload: nothing else in the stream names a queue before its first caller.
     */
    private void announce(String tenant, String kind, String number) {
        scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), kind, number, "", "");
    }

    private static RuntimeException notFound(String number) {
        return AcdProblems.status(HttpStatus.NOT_FOUND, "No such queue", "queue " + number + " does not exist");
    }
}
