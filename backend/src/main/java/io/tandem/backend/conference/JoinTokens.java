package io.tandem.backend.conference;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.protocol.callback.JoinToken;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of this node's rooms for a woken device that dials {@code join*<token>}: the token must be signed with
 * the cluster secret ({@link JoinToken#verify}), unexpired, of this tenant, issued to the user calling, for a room
 * this node holds, and used only once ({@code tandem:{t}:jointoken:<id>}, SET NX until the token's expiry). A
 * refusal says why in the SIP reason (the caller's phone shows it); one about a known room is also a REFUSED event
 * for the callback service. A join dialled to a node without the room is bridged over the trunk to the room's node
 * ({@link #roomNode}), which admits it. Whether the room still waits for a join is the room's call to say (the join script).
 */
public final class JoinTokens {

    private static final Logger log = LoggerFactory.getLogger(JoinTokens.class);

    /** Admitted to {@code room}, or refused with {@code status} and {@code reason}. */
    public record Verdict(Room room, int status, String reason) {
        static Verdict refused(int status, String reason) {
            return new Verdict(null, status, reason);
        }

        public boolean admitted() {
            return room != null;
        }
    }

    private final Rooms rooms;
    private final RoomScripts scripts;
    private final byte[] secret;
    private final MeterRegistry registry;

    JoinTokens(Rooms rooms, RoomScripts scripts, String clusterSecret, MeterRegistry registry) {
        this.rooms = rooms;
        this.scripts = scripts;
        this.secret = clusterSecret.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
    }

    /** Whether {@code caller} of {@code tenant}, presenting {@code wire}, may join the room it names. */
    public Verdict admit(String tenant, String caller, String wire) {
        JoinToken.Refusal[] why = new JoinToken.Refusal[1];
        Optional<JoinToken> verified = JoinToken.verify(wire, secret, scripts.clock().millis(), why);
        if (verified.isEmpty()) {
            return refused(tenant, caller, null, why[0].name().toLowerCase(Locale.ROOT),
                    switch (why[0]) {
                        case FORGED -> "Join token not signed by this cluster";
                        case EXPIRED -> "Join token expired";
                        case MALFORMED -> "Unreadable join token";
                    });
        }
        JoinToken token = verified.get();
        if (!token.tenant().equals(tenant)) {
            return refused(tenant, caller, null, "other-tenant", "Join token of another tenant");
        }
        if (!token.user().equals(caller)) {
            return refused(tenant, caller, token, "wrong-user", "Join token issued to another user");
        }
        Optional<Room> here = rooms.find(token.room());
        if (here.isEmpty()) {
            Map<String, String> room = scripts.where(tenant, token.room());
            if (room.isEmpty()) {
                return refused(tenant, caller, null, "no-room", "No such room");
            }
            if (!"closed".equals(room.get("state")) && !scripts.nodeId().equals(room.get("node"))) {
                // reached only when the room's node is not alive: a live one is bridged to over the trunk (roomNode)
                count("other-node");
                log.info("join of {}@{} to room {}: held by node {}", caller, tenant, token.room(), room.get("node"));
                return Verdict.refused(Response.NOT_FOUND, "Room held by node " + room.get("node"));
            }
            return refused(tenant, caller, token, "closed", "The call is over");
        }
        if (!scripts.useOnce(tenant, token.id(), token.expiresAt())) {
            return refused(tenant, caller, token, "token-used", "Join token already used");
        }
        count("admitted");
        return new Verdict(here.get(), 0, "");
    }

    /**
     * The node holding the room a join is for, when that is another node: the token verifies (signature, expiry,
     * tenant, the caller is its user) and the room's hash names a node other than this one and is not closed. The
     * join is then the room's node's to admit (the single-use check is made there, once); empty when this node
     * answers the join itself (its room, or a refusal).
     */
    public Optional<Elsewhere> roomNode(String tenant, String caller, String wire) {
        Optional<JoinToken> verified = JoinToken.verify(wire, secret, scripts.clock().millis(),
                new JoinToken.Refusal[1]);
        if (verified.isEmpty() || !verified.get().tenant().equals(tenant) || !verified.get().user().equals(caller)
                || rooms.find(verified.get().room()).isPresent()) {
            return Optional.empty();
        }
        Map<String, String> room = scripts.where(tenant, verified.get().room());
        String node = room.get("node");
        return room.isEmpty() || "closed".equals(room.get("state")) || node == null || scripts.nodeId().equals(node)
                ? Optional.empty() : Optional.of(new Elsewhere(node, room.getOrDefault("queue", "")));
    }

    /** A room another node holds: that node, and the queue its caller was parked from (for the join's record). */
    public record Elsewhere(String node, String queue) {
    }

    /**
     * An admitted join came too late (the join script wrote REFUSED): another took the call, or the room closed.
     * Counted; returns the reason to give.
     */
    public String late(Room.Join join) {
        count(join == Room.Join.TAKEN ? "taken" : "closed");
        return join == Room.Join.TAKEN ? "Another agent took the call" : "The call is over";
    }

    private Verdict refused(String tenant, String caller, JoinToken token, String why, String reason) {
        count(why);
        log.info("join of {}@{} refused: {}{}", caller, tenant, reason, token == null ? "" : " (room " + token.room()
                + ")");
        if (token != null) {
            try {
                scripts.refuse(tenant, token.room(), caller, why);
            } catch (RuntimeException e) {
                count("event-failed");
                log.warn("join of {}@{}: the REFUSED event of room {} could not be written: {}", caller, tenant,
                        token.room(), e.getMessage());
            }
        }
        return Verdict.refused(Response.DECLINE, reason);
    }

    private void count(String outcome) {
        registry.counter("tandem.conference.joins", "outcome", outcome).increment();
    }
}
