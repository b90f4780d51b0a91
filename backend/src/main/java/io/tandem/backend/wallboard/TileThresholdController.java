package io.tandem.backend.wallboard;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.redis.Keys;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The wallboard's tile thresholds per queue (supervisors of the tenant). A change is announced on the tenant's event
 * stream ({@value #THRESHOLDS_SAVED}), so every open wallboard recolours without a reload.
 */
@RestController
class TileThresholdController {

    static final String BASE = "/api/v1/tenants/{tenant}/wallboard/thresholds";
    static final String THRESHOLDS_SAVED = "wallboard.thresholds";

    private final TileThresholdStore store;
    private final Queues queues;
    private final AcdScripts scripts;

    TileThresholdController(TileThresholdStore store, Queues queues, AcdScripts scripts) {
        this.store = store;
        this.queues = queues;
        this.scripts = scripts;
    }

    /** Thresholds by queue number, for the queues that have any. */
    @GetMapping(BASE)
    Map<String, TileThresholds> all(@PathVariable String tenant) {
        return store.all(tenant);
    }

    /** A queue's thresholds; a queue without any answers {@link TileThresholds#NONE} (all null). */
    @GetMapping(BASE + "/{queue}")
    TileThresholds one(@PathVariable String tenant, @PathVariable String queue) {
        requireQueue(tenant, queue);
        return store.all(tenant).getOrDefault(queue, TileThresholds.NONE);
    }

    @PutMapping(BASE + "/{queue}")
    TileThresholds replace(@PathVariable String tenant, @PathVariable String queue,
            @Valid @RequestBody TileThresholds thresholds) {
        requireQueue(tenant, queue);
        thresholds.inconsistency().ifPresent(invalid -> {
            throw AcdProblems.invalid(invalid.field(), invalid.message());
        });
        store.save(tenant, queue, thresholds);
        announce(tenant, queue);
        return thresholds;
    }

    @DeleteMapping(BASE + "/{queue}")
    ResponseEntity<Void> delete(@PathVariable String tenant, @PathVariable String queue) {
        requireQueue(tenant, queue);
        if (store.delete(tenant, queue)) {
            announce(tenant, queue);
        }
        return ResponseEntity.noContent().build();
    }

    private void requireQueue(String tenant, String queue) {
        if (queues.find(tenant, queue).isEmpty()) {
            throw AcdProblems.status(HttpStatus.NOT_FOUND, "No such queue", "queue " + queue + " does not exist");
        }
    }

    private void announce(String tenant, String queue) {
        scripts.run(AcdScripts.EVENT, tenant, List.of(Keys.events(tenant)), THRESHOLDS_SAVED, queue, "", "");
    }
}
