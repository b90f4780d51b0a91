package io.tandem.backend.queuecall;

import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.telephony.media.MediaSource;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a caller goes when it leaves a queue without an agent and the destination is not another queue: a callback
 * request (recorded in the tenant's callback stream, then a goodbye prompt and BYE, once the prompt has been heard:
 * {@link Goodbye}).
 */
final class Overflow {

    private static final Logger log = LoggerFactory.getLogger(Overflow.class);
    private final CallbackRequests callbacks;
    private final Announcements prompts;
    private final List<String> callbackPrompt;
    private final List<String> sorryPrompt;
    private final List<String> parkPrompt;
    private final List<String> joinRefusedPrompt;

    Overflow(CallbackRequests callbacks, Announcements prompts, List<String> callbackPrompt,
            List<String> sorryPrompt, List<String> parkPrompt, List<String> joinRefusedPrompt) {
        this.callbacks = callbacks;
        this.prompts = prompts;
        this.callbackPrompt = List.copyOf(callbackPrompt);
        this.sorryPrompt = List.copyOf(sorryPrompt);
        this.parkPrompt = List.copyOf(parkPrompt);
        this.joinRefusedPrompt = List.copyOf(joinRefusedPrompt);
    }

    /** A device that dialled a room's join number is refused: a short prompt as early media, then the 603. */
    Goodbye joinRefused() {
        return goodbye(joinRefusedPrompt);
    }

    /** What a caller parked in a room hears first, then {@code then} (its music). */
    MediaSource parked(MediaSource then) {
        return prompts.player(parkPrompt, then);
    }

    /**
     * Nobody joined the parked caller's room in time: it is told it will be called back (the callback service
     * makes the ticket from the room's CLOSED event), then BYE.
     */
    Goodbye willCallBack() {
        return goodbye(callbackPrompt);
    }

    /**
     * Records a callback request for the caller. A Redis failure is logged, not thrown: the caller still hears the
     * goodbye (the request is lost, as the log line says).
     */
    Goodbye callback(CallingParty call, String queue, CallerDetails details, Duration waited,
            CallbackRequests.Cause cause) {
        try {
            String id = callbacks.request(call.tenant(), queue, call.callId(), call.number(), call.name(),
                    waited.toSeconds(), details.priority(), details.data(), cause);
            log.info("queue call {} from {} left {}@{} for callback request {} ({}, waited {} s)", call.callId(),
                    call.number(), queue, call.tenant(), id, cause.wire(), waited.toSeconds());
        } catch (RuntimeException e) {
            log.error("queue call {} from {}: callback request for {}@{} NOT recorded: {}", call.callId(),
                    call.number(), queue, call.tenant(), e.getMessage());
        }
        return goodbye(callbackPrompt);
    }

    /** The caller cannot be put through and nobody will call back: an apology, then BYE. */
    Goodbye sorry() {
        return goodbye(sorryPrompt);
    }

    private Goodbye goodbye(List<String> words) {
        MediaSource silence = frame -> false;
        return new Goodbye(prompts.player(words, silence), prompts.duration(words));
    }
}
