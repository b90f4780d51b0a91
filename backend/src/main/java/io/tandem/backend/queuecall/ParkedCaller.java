package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.conference.Room;
import io.tandem.backend.conference.Rooms;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.media.MediaSource;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue caller parked in a room on this node (the queue's park setting): its call and leg stay here, the room
 * ({@link Room}) is in Redis for the callback service, which wakes agents to join it. The caller hears the park
 * prompt, then its queue's music. The node owns the park timeout: nobody joined in time → the room closes
 * (CLOSED, {@code timeout}; the service makes a ticket), "we will call you back", BYE. The caller hanging up while
 * parked closes the room as ABANDONED (the queue log's ABANDON). Guarded by the call's lock (the timers take it).
 */
final class ParkedCaller {

    private static final Logger log = LoggerFactory.getLogger(ParkedCaller.class);

    /** PARKED: alone in the room; CLOSING: hearing the goodbye before the BYE; OVER: the call ended. */
    enum State { PARKED, CLOSING, OVER }

    /** What the parked caller asks of its call. */
    interface Call {
        /** The caller's queue music (looping), which it hears once the prompt is over. */
        MediaSource music();

        void hear(MediaSource source);

        /** BYE to the caller; the call ends for {@code cause}. */
        void hangUp(String cause);
    }

    private final Call call;
    private final Object lock;
    private final Rooms rooms;
    private final Overflow prompts;
    private final Timers timers;
    private State state = State.PARKED;
    private Room room;
    private Timers.Timer timeout;

    ParkedCaller(Call call, Object lock, Rooms rooms, Overflow prompts, Timers timers) {
        this.call = call;
        this.lock = lock;
        this.rooms = rooms;
        this.prompts = prompts;
        this.timers = timers;
    }

    /**
     * Opens the caller's room (PARKED on the room-event stream), plays the prompt and the music, arms the park
     * timeout. A room Redis cannot record would never be joined: the caller then hears the apology and is hung up.
     */
    void park(QueueDefinition queue, CallingParty who, int priority, long enqueuedAt, String reason) {
        Duration limit = Duration.ofSeconds(queue.park().timeoutSeconds());
        try {
            room = rooms.open(new Room.Parked(who.tenant(), who.callId(), queue.number(), who.number(), who.name(),
                    enqueuedAt, priority, reason, rooms.now() + limit.toMillis()));
        } catch (RuntimeException e) {
            log.error("queue call {} from {}: no room could be opened to park it ({}); goodbye", who.callId(),
                    who.number(), e.getMessage());
            goodbye(prompts.sorry(), "park-failed");
            return;
        }
        call.hear(prompts.parked(call.music()));
        timeout = timers.after(limit, this::timedOut);
    }

    State state() {
        return state;
    }

    Room room() {
        return room;
    }

    /** The caller hung up (or never ACKed): a room still waiting for a join is closed as ABANDONED. */
    void callerGone() {
        if (state == State.PARKED) {
            stop();
            room.close(RoomEvent.Kind.ABANDONED, "caller-hung-up");
        }
        state = State.OVER;
    }

    /** The call ended another way (node stopping): the timeout stops. */
    void over() {
        stop();
        state = State.OVER;
    }

    private void timedOut() {
        synchronized (lock) {
            if (state != State.PARKED) {
                return;
            }
            // closed first, so a join arriving during the goodbye is refused
            room.close(RoomEvent.Kind.CLOSED, "timeout");
            log.info("{}: nobody joined within the park timeout; the caller will be called back", room);
            goodbye(prompts.willCallBack(), "park-timeout");
        }
    }

    private void goodbye(Overflow.Goodbye goodbye, String cause) {
        state = State.CLOSING;
        call.hear(goodbye.source());
        timers.after(goodbye.hangUpAfter(), () -> {
            synchronized (lock) {
                if (state == State.CLOSING) {
                    state = State.OVER;
                    call.hangUp(cause);
                }
            }
        });
    }

    private void stop() {
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
