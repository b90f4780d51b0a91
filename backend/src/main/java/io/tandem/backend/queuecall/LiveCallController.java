package io.tandem.backend.queuecall;

import io.tandem.backend.api.TenantPrincipal;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.Monitor;
import io.tandem.protocol.MonitorRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live queue calls of a tenant, cluster-wide, and the supervisor's listen / whisper / barge on one of them. Roles:
 * supervisor (or admin) of the path's tenant, checked by the security configuration for {@code /tenants/{t}/**}.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/calls")
class LiveCallController {

    private final CallMonitors monitors;

    LiveCallController(CallMonitors monitors) {
        this.monitors = monitors;
    }

    @GetMapping
    List<LiveCall> list(@PathVariable String tenant) {
        return monitors.list(tenant);
    }

    /** 202: the supervisor's phone is being called; {@code monitor.started} follows when it answers. */
    @PostMapping("/{callId}/monitor")
    ResponseEntity<Monitor> start(@AuthenticationPrincipal TenantPrincipal me, @PathVariable String tenant,
            @PathVariable String callId, @RequestBody(required = false) MonitorRequest request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(monitors.start(me, tenant, callId, request));
    }

    @PutMapping("/{callId}/monitor")
    Monitor change(@PathVariable String tenant, @PathVariable String callId,
            @RequestBody(required = false) MonitorRequest request) {
        return monitors.change(tenant, callId, request);
    }

    /** 202: the supervisor gets a BYE (or CANCEL while ringing) from the call's media node. */
    @DeleteMapping("/{callId}/monitor")
    ResponseEntity<Monitor> stop(@PathVariable String tenant, @PathVariable String callId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(monitors.stop(tenant, callId));
    }
}
