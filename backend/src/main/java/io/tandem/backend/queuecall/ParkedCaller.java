package io.tandem.backend.queuecall;

import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.conference.Room;
import io.tandem.backend.conference.Rooms;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.routing.Route;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue caller parked in a room on this node (the queue's park setting): its call and leg stay here, the room
 * ({@link Room}) is in Redis for the callback service, which wakes agents and commands this node to call them in.
 * The caller hears the park prompt, then its queue's music, with its position among the queue's parked callers and
 * its estimated wait announced on the queue's announcement times until someone joins. {@link #callInto} rings every
 * contact of a user with an {@link OutgoingBranch} each; the first answer goes through the room's join script (the
 * first join in the cluster wins), a later one gets a BYE (and the script's REFUSED), the other branches are
 * CANCELled. The node owns the park
 * timeout: nobody joined in time → the room closes (CLOSED, {@code timeout}; the service makes a ticket), "we will
 * call you back", BYE. The caller hanging up while parked closes the room as ABANDONED (the queue log's ABANDON).
 * Guarded by the call's lock (the timers and the node's commands take it).
 */
final class ParkedCaller {

    private static final Logger log = LoggerFactory.getLogger(ParkedCaller.class);
    /** A queue announcing at once would cut the park prompt's first words. */
    private static final Duration FIRST_ANNOUNCEMENT_NOT_BEFORE = Duration.ofSeconds(1);

    /**
     * PARKED: alone in the room; JOINED: someone joined (the call is connected through the room's mixer); CLOSING:
     * hearing the goodbye before the BYE; OVER: the call ended.
     */
    enum State { PARKED, JOINED, CLOSING, OVER }

    /** What the parked caller asks of its call. */
    interface Call {
        /** The caller's queue music (looping), which it hears once the prompt is over. */
        MediaSource music();

        void hear(MediaSource source);

        /**
         * Tell the caller what {@code what} says to: its {@code position} among the queue's parked callers, its wait.
         */
        void announce(QueueDefinition.Announcements what, int position);

        /** BYE to the caller; the call ends for {@code cause}. */
        void hangUp(String cause);

        /** {@code branch} joined the room: the call is connected to it through the room's mixer. */
        void joined(AgentBranch branch, NegotiatedMedia media, Room room);

        /** The room closed while the caller stays a moment (its goodbye): off the live list. */
        void leftRoom();

        /** BYE to the caller and the party that joined; the call ends for {@code cause}. */
        void endConnected(String cause);

        /** {@code user} dialled in and joined: the call is connected to its (answered) leg through the room. */
        void joinedByDialIn(CallerLeg leg, String user, Room room);
    }

    private final Call call;
    private final Object lock;
    private final Rooms rooms;
    private final Overflow prompts;
    private final CallerBranches lines;
    private final Timers timers;
    private final List<AgentBranch> ringing = new ArrayList<>();
    private State state = State.PARKED;
    private Room room;
    /** The queue wants a caller who hangs up while parked called back all the same (a ticket). */
    private boolean ticketOnAbandon;
    private Timers.Timer timeout;
    /** Position and wait announcements while the caller is alone, on the queue's announcement times. */
    private AnnouncementTimes announcements;

    ParkedCaller(Call call, Object lock, Rooms rooms, Overflow prompts, CallerBranches lines, Timers timers) {
        this.call = call;
        this.lock = lock;
        this.rooms = rooms;
        this.prompts = prompts;
        this.lines = lines;
        this.timers = timers;
    }

    /**
     * Opens the caller's room (PARKED on the room-event stream), plays the prompt and the music, arms the park
     * timeout. A room Redis cannot record would never be joined: the caller then hears the apology and is hung up.
     */
    void park(QueueDefinition queue, CallingParty who, int priority, long enqueuedAt, String reason) {
        Duration limit = Duration.ofSeconds(queue.park().timeoutSeconds());
        ticketOnAbandon = queue.park().ticketOnAbandon();
        try {
            room = rooms.open(new Room.Parked(who.tenant(), who.callId(), queue.number(), who.number(), who.name(),
                    enqueuedAt, priority, reason, rooms.now() + limit.toMillis(), queue.park().wake(),
                    Duration.ofSeconds(queue.park().wakeTierDelaySeconds()).toMillis()));
        } catch (RuntimeException e) {
            log.error("queue call {} from {}: no room could be opened to park it ({}); goodbye", who.callId(),
                    who.number(), e.getMessage());
            goodbye(prompts.sorry(), "park-failed");
            return;
        }
        room.occupiedBy(occupant);
        call.hear(prompts.parked(call.music()));
        timeout = timers.after(limit, this::timedOut);
        // told its place among the queue's parked callers, as a queue caller is told its place in the queue; the first
        // announcement comes after the park prompt has begun
        QueueDefinition.Announcements a = queue.announcements();
        announcements = new AnnouncementTimes(a, timers, lock, () -> state == State.PARKED, () -> announce(a));
        announcements.start(FIRST_ANNOUNCEMENT_NOT_BEFORE);
    }

    private void announce(QueueDefinition.Announcements a) {
        int position = room.position();
        if (position > 0) {
            call.announce(a, position);
        }
    }

    State state() {
        return state;
    }

    /**
     * What a join branch's INVITE came to; {@code response} null on a timeout. The first answer asks the room's
     * join script; a refused or late one is BYEd (RFC 3261 §15).
     */
    void onStep(AgentBranch branch, OutgoingBranch.Step step, Response response) {
        if (step == OutgoingBranch.Step.ENDED) {
            ringing.remove(branch);
            int status = branch.branch.finalStatus();
            if (status >= 200 && status < 300 && room != null) {
                // RFC 3261 §15: its answer crossed our CANCEL (someone else joined); the branch BYEd it, the
                // service hears the refusal from the join script
                room.join(branch.agentId);
            }
            drop(branch, false);
            return;
        }
        if (step != OutgoingBranch.Step.ANSWERED) {
            return;
        }
        ringing.remove(branch);
        Room.Join join = room == null ? Room.Join.CLOSED : room.join(branch.agentId);
        if (state != State.PARKED || join != Room.Join.JOINED) {
            log.info("{}: {} answered but the room is {} ({}); BYE", room, branch.agentId, state, join);
            drop(branch, true);
            return;
        }
        NegotiatedMedia media;
        try {
            media = branch.accept(SipMessages.bodyText(response));
        } catch (Exception e) {
            log.warn("{}: {} answered with an unusable SDP answer ({}); the call ends", room, branch.agentId,
                    e.getMessage());
            drop(branch, true);
            room.close(RoomEvent.Kind.CLOSED, "no-media");
            state = State.OVER;
            call.hangUp("no-media");
            return;
        }
        state = State.JOINED;
        stopTimers();
        cancelRinging();
        call.joined(branch, media, room);
    }

    /** The caller hung up (or never ACKed): a room still waiting for a join is closed as ABANDONED. */
    void callerGone() {
        if (state == State.PARKED) {
            stopTimers();
            cancelRinging();
            room.close(RoomEvent.Kind.ABANDONED, ticketOnAbandon ? RoomEvent.ABANDONED_CALL_BACK : "caller-hung-up");
        }
        over();
    }

    /** The call ended (hang-up after a join, node stopping): a joined room closes, nothing more fires. */
    void over() {
        stopTimers();
        cancelRinging();
        if (state == State.JOINED) {
            room.close(RoomEvent.Kind.CLOSED, "call-ended");
        }
        state = State.OVER;
    }

    /**
     * The node stops with the call: the room is LOST (the callback service tickets the caller), nothing more fires.
     */
    void lost() {
        stopTimers();
        if (state == State.PARKED || state == State.JOINED) {
            room.close(RoomEvent.Kind.LOST, "node-stopped");
        }
        state = State.OVER;
    }

    /** Rings every current contact of {@code user} into the room (a node command). */
    private void callInto(String user, String commandId) {
        if (state != State.PARKED) {
            log.info("{}: command {} to call {} in comes after the room was {}", room, commandId, user, state);
            return;
        }
        Route route = lines.route(user);
        if (!(route instanceof Route.Ring ring) || ring.targets().isEmpty()) {
            log.info("{}: command {}: {} has no contact to call ({})", room, commandId, user, route);
            return;
        }
        for (Route.Target target : ring.targets()) {
            OutgoingMedia media;
            try {
                media = lines.media();
            } catch (IOException e) {
                log.warn("{}: no RTP port to call {} in: {}", room, user, e.getMessage());
                return;
            }
            AgentBranch branch = lines.dialIntoRoom(user, target, media);
            if (branch != null) {
                ringing.add(branch);
                log.info("{}: calling {} in ({})", room, user, branch);
            }
        }
    }

    /**
     * {@code user} dialled the room's join number with a token that admits it ({@code JoinTokens}): its INVITE is
     * answered and it joins if the room still waits (the join script decides, the first join wins); otherwise the
     * refusal (the script wrote REFUSED). {@code leg} has negotiated the INVITE's offer and opened its dialog.
     */
    Room.Join dialIn(String user, CallerLeg leg, SdpAnswer answer) {
        Room.Join join = room.join(user);
        if (state != State.PARKED || join != Room.Join.JOINED) {
            return join == Room.Join.JOINED ? Room.Join.CLOSED : join;
        }
        state = State.JOINED;
        stopTimers();
        cancelRinging();
        leg.start(answer.media(), digit -> { });
        leg.ok(answer, user);
        call.joinedByDialIn(leg, user, room);
        return join;
    }

    /** The room is to close (a node command): the announcement for {@code reason}, then BYE. */
    private void closeFor(String reason) {
        if (state == State.PARKED) {
            stopTimers();
            cancelRinging();
            room.close(RoomEvent.Kind.CLOSED, reason);
            goodbye("timeout".equals(reason) ? prompts.willCallBack() : prompts.sorry(), "room-closed");
        } else if (state == State.JOINED) {
            room.close(RoomEvent.Kind.CLOSED, reason);
            state = State.OVER;
            call.endConnected("room-closed");
        }
    }

    private void timedOut() {
        synchronized (lock) {
            if (state != State.PARKED) {
                return;
            }
            cancelRinging();
            // closed first, so a join arriving during the goodbye is refused
            room.close(RoomEvent.Kind.CLOSED, "timeout");
            log.info("{}: nobody joined within the park timeout; the caller will be called back", room);
            goodbye(prompts.willCallBack(), "park-timeout");
        }
    }

    private void goodbye(Goodbye goodbye, String cause) {
        state = State.CLOSING;
        call.leftRoom();
        call.hear(goodbye.source());
        goodbye.afterHeard(timers, () -> {
            synchronized (lock) {
                if (state == State.CLOSING) {
                    state = State.OVER;
                    call.hangUp(cause);
                }
            }
        });
    }

    /** RFC 3261 §9.1: what still rings is CANCELled (held by the branch until its 1xx). */
    private void cancelRinging() {
        for (AgentBranch branch : ringing) {
            branch.branch.cancel();
        }
    }

    private void drop(AgentBranch branch, boolean bye) {
        if (bye) {
            branch.branch.bye();
        }
        branch.stream.close();
        if (branch.branch.isFinal()) {
            lines.forget(branch);
        }
    }

    private void stopTimers() {
        if (timeout != null) {
            timeout.cancel();
        }
        if (announcements != null) {
            announcements.stop();
        }
    }

    /** What the node's commands and dial-in joins ask of the room; they come from other threads. */
    final class Occupancy implements Room.Occupant {
        /** As {@link ParkedCaller#dialIn}, under the call's lock. */
        Room.Join dialIn(String user, CallerLeg leg, SdpAnswer answer) {
            synchronized (lock) {
                return ParkedCaller.this.dialIn(user, leg, answer);
            }
        }

        @Override
        public void callInto(String user, String commandId) {
            synchronized (lock) {
                ParkedCaller.this.callInto(user, commandId);
            }
        }

        @Override
        public void closeFor(String reason) {
            synchronized (lock) {
                ParkedCaller.this.closeFor(reason);
            }
        }
    }

    private final Occupancy occupant = new Occupancy();
}
