package io.tandem.backend.conference;

import io.tandem.backend.acd.queues.QueueDefinition.Park.Wake;
import io.tandem.protocol.callback.RoomEvent;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.media.ToneSegment;
import io.tandem.telephony.media.ToneSource;
import io.tandem.telephony.mixer.ConferenceMixer;
import io.tandem.telephony.mixer.Party;
import io.tandem.telephony.rtp.MediaStream;
import io.tandem.telephony.rtp.RtpMediaStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room on this node holding one parked caller, whose leg (and media) stays anchored here. Its state is in Redis
 * ({@code tandem:{t}:room:<id>}, changed only by the conference scripts, each writing the matching
 * {@link RoomEvent}): parked while the caller is alone, connected once someone joined (the first join wins), closed.
 * Once a party joins, the caller and that party hear each other through telephony's {@link ConferenceMixer}, and
 * the caller first hears the join tone. What the caller hears while alone, and its SIP, are the occupant's: the
 * call that parked it.
 */
public final class Room {

    private static final Logger log = LoggerFactory.getLogger(Room.class);
    /** The join tone: two short 1400 Hz beeps, as conference bridges announce a newcomer. */
    private static final List<ToneSegment> JOIN_TONE = List.of(ToneSegment.tone(1400, 150), ToneSegment.silence(100),
            ToneSegment.tone(1400, 150));
    private static final int JOIN_TONE_LEVEL = 6000;

    /**
     * Who is parked and why.
     *
     * @param enqueuedAt when the caller first joined a queue, epoch ms (a callback ticket keeps this place)
     * @param reason     {@code no-agent} | {@code key} | {@code wait}
     * @param deadline   epoch ms: no join by then and the caller is told it will be called back
     * @param wake       whom the callback service wakes (the queue's park setting, copied into the room's hash)
     * @param wakeTierDelayMs with {@link Wake#TIERS}, the wait before the next member tier is woken
     */
    public record Parked(String tenant, String callId, String queue, String callerNumber, String callerName,
            long enqueuedAt, int priority, String reason, long deadline, Wake wake, long wakeTierDelayMs) {
    }

    /** What a join came to: the caller's room is now this user's, someone else's, or over. */
    public enum Join { JOINED, TAKEN, CLOSED }

    /** The call holding the room's caller: what the node's commands ask of it. */
    public interface Occupant {
        /** Call every current contact of {@code user}; the first to answer joins the room. */
        void callInto(String user, String commandId);

        /** The room is to close: the announcement for {@code reason}, then BYE. */
        void closeFor(String reason);
    }

    private final String id;
    private final Parked parked;
    private final RoomScripts scripts;
    private final ScheduledExecutorService mixerClock;
    private final Rooms rooms;
    private final ConferenceMixer mixer;
    private volatile Occupant occupant;
    /** Who joined, once one did. */
    private volatile String holder = "";
    /** The mixer's party of whoever joined, once connected: a whisper's target. */
    private volatile Party joinedParty;
    /** Numbers the supervisors' parties, so each has its own id in the mixer. */
    private final AtomicInteger supervisors = new AtomicInteger();

    Room(String id, Parked parked, RoomScripts scripts, ScheduledExecutorService mixerClock, Rooms rooms) {
        this.id = id;
        this.parked = parked;
        this.scripts = scripts;
        this.mixerClock = mixerClock;
        this.rooms = rooms;
        this.mixer = new ConferenceMixer("room-" + id, 8);
    }

    public String id() {
        return id;
    }

    public Parked parked() {
        return parked;
    }

    /** The agent or app user that joined; empty while parked. */
    public String holder() {
        return holder;
    }

    public void occupiedBy(Occupant occupant) {
        this.occupant = occupant;
    }

    public Occupant occupant() {
        return occupant;
    }

    /**
     * {@code user} answered and wants in: the join script's compare-and-set decides (the first join wins; a later
     * one is refused with a REFUSED event).
     */
    public Join join(String user) {
        RoomScripts.Joined joined = scripts.join(parked.tenant(), id, user);
        switch (joined.outcome()) {
            case "joined" -> {
                holder = user;
                log.info("room {} ({}): {} joined", id, parked.callId(), user);
                return Join.JOINED;
            }
            case "taken" -> {
                log.info("room {} ({}): {} refused, {} took the call", id, parked.callId(), user, joined.agent());
                return Join.TAKEN;
            }
            default -> {
                log.info("room {} ({}): {} refused, the room is closed", id, parked.callId(), user);
                return Join.CLOSED;
            }
        }
    }

    /**
     * The caller's place among its queue's parked callers (1 = next; priority, then the first enqueue time, as every
     * node would say it); 0 once nobody is parked here any more.
     */
    public int position() {
        return scripts.position(parked.tenant(), parked.queue(), id);
    }

    /**
     * The caller and the party that joined hear each other through the room's mixer; the caller hears the join tone
     * first. Both streams are started.
     */
    public void connect(RtpMediaStream caller, RtpMediaStream joined, String joinedId) {
        // party ids are the mixer's only: distinct whatever the joined user is called
        Party callerParty = mixer.join("parked:" + parked.callId());
        Party joinedParty = mixer.join("joined:" + joinedId);
        this.joinedParty = joinedParty;
        caller.setSink(callerParty.input());
        joined.setSink(joinedParty.input());
        joined.setSource(joinedParty.output());
        caller.setSource(new Then(new ToneSource(JOIN_TONE, false, JOIN_TONE_LEVEL), callerParty.output()));
        mixer.start(mixerClock);
    }

    /**
     * A supervisor's (started) stream joins the connected room's mixer: it hears the caller and the party that
     * joined and, until told otherwise ({@link Party#whisperTo}, {@link Party#speak}), is heard by nobody. Throws
     * {@link IllegalStateException} when the room has closed.
     */
    public Party listenIn(MediaStream supervisor) {
        Party party = mixer.join("monitor:" + supervisors.incrementAndGet());
        party.listenOnly(); // before its stream feeds it: not one frame of the supervisor is heard by mistake
        supervisor.setSink(party.input());
        supervisor.setSource(party.output());
        return party;
    }

    /** The mixer's party of whoever joined the caller; empty until connected. */
    public Optional<Party> joinedParty() {
        return Optional.ofNullable(joinedParty);
    }

    /**
     * The room closes: {@link RoomEvent.Kind#ABANDONED} (the caller hung up while parked; the queue log's ABANDON),
     * {@link RoomEvent.Kind#CLOSED} (with the reason), or {@link RoomEvent.Kind#LOST}. The mixer stops. A Redis
     * failure is logged at ERROR: the service then learns of the caller only from the node's heartbeat.
     */
    public void close(RoomEvent.Kind kind, String reason) {
        mixer.close();
        rooms.forget(this);
        try {
            if (scripts.close(parked.tenant(), id, kind, reason)) {
                log.info("room {} ({}): {} ({})", id, parked.callId(), kind.wire(), reason);
            }
        } catch (RuntimeException e) {
            rooms.closeFailed();
            log.error("room {} ({}): closing it as {} ({}) failed in Redis: {}", id, parked.callId(), kind.wire(),
                    reason, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "room " + id + " of " + parked.callId();
    }
}
