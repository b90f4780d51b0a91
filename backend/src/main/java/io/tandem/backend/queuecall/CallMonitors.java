package io.tandem.backend.queuecall;

import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.registrar.Bindings;
import io.tandem.protocol.LiveCall;
import io.tandem.protocol.Monitor;
import io.tandem.protocol.MonitorRequest;
import io.tandem.telephony.sip.SipMessages;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Supervisor requests about live calls, on whichever node the REST request reached: the request is checked and
 * recorded in Redis here (one monitor per call is an {@code HSETNX}), then handed to the node holding the call's
 * media on its monitor channel, which calls the supervisor and reports started / changed / ended as tenant events.
 */
final class CallMonitors {

    private final LiveCalls live;
    private final Directory directory;
    private final Bindings bindings;

    CallMonitors(LiveCalls live, Directory directory, Bindings bindings) {
        this.live = live;
        this.directory = directory;
        this.bindings = bindings;
    }

    List<LiveCall> list(String tenant) {
        return live.list(tenant);
    }

    Monitor start(TenantPrincipal who, String tenant, String callId, MonitorRequest request) {
        MonitorMode mode = mode(request);
        String extension = request == null || request.extension() == null || request.extension().isBlank()
                ? who.extension() : request.extension().trim();
        if (!Keys.EXTENSION.matcher(extension).matches() || directory.find(tenant, extension).isEmpty()) {
            throw invalid("extension", "no extension '" + extension + "' in tenant " + tenant);
        }
        LiveCall call = call(tenant, callId);
        if (!call.state().monitorable()) {
            throw problem(HttpStatus.CONFLICT, "Call not connected", "call " + callId + " is "
                    + call.state().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + ": nobody talks to the caller yet, so there is nothing to listen to");
        }
        if (bindings.lookup(tenant, extension).isEmpty()) {
            throw problem(HttpStatus.CONFLICT, "Extension not registered", "extension " + extension
                    + " is not registered: no phone to call for the monitor");
        }
        Monitor monitor = new Monitor(SipMessages.newToken(), callId, mode.wire(), extension, who.extension(),
                "ringing");
        if (!live.claimMonitor(tenant, monitor)) {
            Monitor current = live.monitor(tenant, callId).orElse(monitor);
            throw problem(HttpStatus.CONFLICT, "Call already monitored", "call " + callId + " is already monitored"
                    + " by " + current.supervisor() + " (monitor " + current.monitorId() + ")");
        }
        if (!live.send(call.callerNode(), command(MonitorCommand.START, tenant, monitor))) {
            live.dropMonitor(tenant, callId, monitor.monitorId());
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "Media node unreachable", "node " + call.callerNode()
                    + " holding the call's media does not take monitor requests");
        }
        return monitor;
    }

    Monitor change(String tenant, String callId, MonitorRequest request) {
        MonitorMode mode = mode(request);
        LiveCall call = call(tenant, callId);
        Monitor monitor = monitorOf(tenant, callId).withMode(mode.wire());
        live.saveMonitor(tenant, monitor);
        live.send(call.callerNode(), command(MonitorCommand.MODE, tenant, monitor));
        return monitor;
    }

    Monitor stop(String tenant, String callId) {
        Monitor monitor = monitorOf(tenant, callId);
        boolean delivered = live.find(tenant, callId)
                .map(call -> live.send(call.callerNode(), command(MonitorCommand.STOP, tenant, monitor)))
                .orElse(false);
        if (!delivered) {
            live.dropMonitor(tenant, callId, monitor.monitorId()); // its node is gone: nothing left to hang up
        }
        return monitor;
    }

    private LiveCall call(String tenant, String callId) {
        return live.find(tenant, callId).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No such call",
                "no live call " + callId + " in tenant " + tenant));
    }

    private Monitor monitorOf(String tenant, String callId) {
        return live.monitor(tenant, callId).orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "No monitor",
                "call " + callId + " has no monitor"));
    }

    private static MonitorMode mode(MonitorRequest request) {
        return MonitorMode.parse(request == null ? null : request.mode())
                .orElseThrow(() -> invalid("mode", "must be listen, whisper or barge"));
    }

    private static MonitorCommand command(String op, String tenant, Monitor monitor) {
        return new MonitorCommand(op, tenant, monitor.callId(), monitor.monitorId(), monitor.mode(),
                monitor.extension());
    }

    static ErrorResponseException invalid(String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "1 invalid field");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
