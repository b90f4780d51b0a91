package io.tandem.backend.queuecall;

import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.backend.trunk.Did;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A carrier's call to a DID that plays a prompt: answered at once, the prompt plays (once, or looped), and the node
 * hangs up once it has been heard — as counted by the media thread ({@link Goodbye}), so a loaded node never cuts it
 * short — or at the DID's time limit, a wall-clock limit by definition; the caller may hang up first. Its record names the
 * DID and the trunk, and its trunk channel is held until it ends ({@link CallRecorder}).
 */
final class PromptCall {

    private static final Logger log = LoggerFactory.getLogger(PromptCall.class);
    private final String tenant;
    private final String caller;
    private final Did did;
    private final CarrierLeg carrier;
    private final CallerLeg leg;
    private final CallRecorder recorder;
    private final Runnable forget;
    private final Instant startedAt;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The BYE at the prompt's end; set once, before any request of the dialog can arrive. */
    private volatile Timers.Timer hangUp;

    PromptCall(String tenant, String caller, Did did, CarrierLeg carrier, CallerLeg leg, CallRecorder recorder,
            Runnable forget) {
        this.tenant = tenant;
        this.caller = caller;
        this.did = did;
        this.carrier = carrier;
        this.leg = leg;
        this.recorder = recorder;
        this.forget = forget;
        this.startedAt = recorder.clock.instant();
    }

    /**
     * The DID's time limit when it, not the prompt's end, ends the call: always for a looped prompt, and for one
     * played once when the limit is shorter than the prompt and its {@link Goodbye#TAIL}; empty when the prompt is
     * heard to its end.
     */
    static Optional<Duration> timeLimit(Did did, Duration promptLength) {
        Duration limit = Duration.ofSeconds(did.maxSeconds());
        if (did.loop() || (did.maxSeconds() > 0 && limit.compareTo(promptLength.plus(Goodbye.TAIL)) < 0)) {
            return Optional.of(limit);
        }
        return Optional.empty();
    }

    /** Hangs up at the DID's time limit. */
    void hangUpAfter(Timers timers, Duration limit) {
        hangUp = timers.after(limit, this::heard);
    }

    /** Hangs up once the media thread has sent {@code goodbye} (prompt and tail), or at its deadline. */
    void hangUpWhenHeard(Timers timers, Goodbye goodbye) {
        goodbye.afterHeard(timers, this::heard);
    }

    private void heard() {
        if (!ended.get()) {
            log.info("prompt DID {}@{}: {} heard; hanging up", did.number(), tenant, did.destination());
            leg.bye();
            end("prompt-played", "node");
        }
    }

    /** A request of the caller's dialog: its BYE ends the call; a re-INVITE is answered from the same stream. */
    void onCallerRequest(ServerTransaction st) {
        String method = st.getRequest().getMethod();
        if (Request.BYE.equals(method)) {
            leg.respond(st, Response.OK);
            Timers.Timer timer = hangUp;
            if (timer != null) {
                timer.cancel();
            }
            end("normal", "caller");
        } else if (Request.INVITE.equals(method)) {
            leg.reanswer(st, did.number());
        } else {
            leg.respond(st, Response.OK);
        }
    }

    /** The caller never ACKed our 200 (RFC 3261 §13.3.1.4): it is gone. */
    void onAckTimeout() {
        Timers.Timer timer = hangUp;
        if (timer != null) {
            timer.cancel();
        }
        end("no-ack", "caller");
    }

    /** Node stopping. */
    void close() {
        end("node-stopped", "node");
    }

    private void end(String cause, String hungUpBy) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        leg.close();
        forget.run();
        CallRecord record = new CallRecord(leg.callId(), tenant, caller, did.number(), List.of(recorder.nodeId),
                startedAt, startedAt, recorder.clock.instant(), cause, hungUpBy);
        recorder.promptRecord(record, did.destination(), carrier);
    }
}
