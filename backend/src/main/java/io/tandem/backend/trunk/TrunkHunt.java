package io.tandem.backend.trunk;

import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.sip.SipMessages;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trunks one outside call may still try, in hunting order. {@link #next} seizes a channel on the first whose
 * limits allow it ({@code trunk/seize.lua}: channels and calls per second, cluster-wide); the call tries the next
 * only after a definite failure of the last (the B2BUA decides that). Guarded by the owning call's lock.
 */
public final class TrunkHunt {

    private static final Logger log = LoggerFactory.getLogger(TrunkHunt.class);
    private static final LuaScript SEIZE = LuaScript.load("trunk/seize", ScriptOutputType.VALUE);
    private static final LuaScript SENT = LuaScript.load("trunk/sent", ScriptOutputType.INTEGER);
    private static final LuaScript RELEASE = LuaScript.load("trunk/release", ScriptOutputType.INTEGER);

    /**
     * One trunk still to try, with the number it presents for this caller and, for a registration trunk, its digest
     * password (null when none).
     */
    record Candidate(Trunk trunk, String callerNumber, String password) {

        CarrierCredentials credentials() {
            return trunk.authentication() == Trunk.Authentication.REGISTRATION && password != null
                    ? new CarrierCredentials(trunk.username(), password) : CarrierCredentials.NONE;
        }
    }

    private final Redis redis;
    private final OwedWrites writes;
    private final String tenant;
    private final String nodeId;
    private final String e164;
    private final Deque<Candidate> left;
    private final Duration inviteTimeout;
    private final OutboundLimits limits;
    private final TrunkHealth health;
    /** The trunk's CAPS window, ms: 1000 and the guard ({@link TrunkProperties#capsGuard}). */
    private final long capsWindow;
    /** How late after its seizure an INVITE may still be sent ({@link TrunkProperties#sendDeadline}). */
    private final Duration sendDeadline;
    /**
     * Why the last trunk passed over was: "channels", "caps" (the trunk's), "node-channels", "node-caps",
     * "group-channels" (limits every trunk shares, so the hunt stops), or "" when none was passed over.
     */
    private String lastRefusal = "";

    TrunkHunt(Redis redis, OwedWrites writes, String tenant, String nodeId, String e164, List<Candidate> trunks,
            Duration inviteTimeout, long capsWindow, Duration sendDeadline, OutboundLimits limits, TrunkHealth health) {
        this.health = health;
        this.capsWindow = capsWindow;
        this.sendDeadline = sendDeadline;
        this.inviteTimeout = inviteTimeout;
        this.limits = limits;
        this.redis = redis;
        this.writes = writes;
        this.tenant = tenant;
        this.nodeId = nodeId;
        this.e164 = e164;
        this.left = new ArrayDeque<>(trunks);
    }

    /**
     * How long a trunk may leave the INVITE without any answer before the next trunk is tried
     * ({@code tandem.trunks.invite-timeout}).
     */
    public Duration inviteTimeout() {
        return inviteTimeout;
    }

    /** The number called, in E.164: the To and Request-URI user of the INVITE. */
    public String number() {
        return e164;
    }

    /** A channel on the next trunk whose limits allow another call now; empty when no trunk is left. */
    public Optional<Seizure> next() {
        while (!left.isEmpty()) {
            Candidate candidate = left.poll();
            Trunk trunk = candidate.trunk();
            String callId = SipMessages.newToken() + "@tandem";
            long seizing = System.nanoTime();
            String outcome = redis.run(SEIZE, List.of(Keys.trunkChannels(tenant, trunk.id()),
                    Keys.trunkAttempts(tenant, trunk.id()), Keys.outboundNodeChannels(tenant, nodeId),
                    Keys.outboundNodeAttempts(tenant, nodeId), Keys.outboundChannels(tenant, limits.group())),
                    callId, nodeId, Integer.toString(trunk.maxChannels()), Integer.toString(trunk.caps()),
                    Integer.toString(limits.nodeChannels()), Integer.toString(limits.nodeCaps()),
                    Integer.toString(limits.groupChannels()), trunk.id(), Long.toString(capsWindow),
                    Long.toString(sendDeadline.toMillis() + capsWindow));
            if (outcome.startsWith("ok ")) {
                return Optional.of(new Seizure(trunk.id(), callId, requestUri(trunk), trunk.transport().wire(),
                        candidate.callerNumber(), trunk.codecs(), Long.parseLong(outcome.substring(3)), seizing,
                        candidate.credentials()));
            }
            lastRefusal = outcome;
            if (outcome.startsWith("node-") || outcome.startsWith("group-")) {
                log.debug("outside call to {} ({}): {} limit reached; no trunk tried further", e164, tenant, outcome);
                left.clear(); // every trunk shares these limits
                return Optional.empty();
            }
            if ("caps".equals(outcome)) {
                // the campaign scheduler asks every slice: a trunk at its CAPS is the ordinary state under load
                log.debug("outside call to {} ({}): trunk {} at its caps limit; next trunk", e164, tenant, trunk.id());
            } else {
                log.info("outside call to {} ({}): trunk {} at its {} limit; next trunk", e164, tenant, trunk.id(),
                        outcome);
            }
        }
        return Optional.empty();
    }

    /**
     * Why the hunt ended without a trunk: the reason phrase of the 503 the caller gets (RFC 3261 §21.5.4: the
     * service is unavailable for now).
     */
    public String exhausted() {
        return lastRefusal.isEmpty() ? "No trunk available" : "All trunks busy";
    }

    /** The limit that stopped the hunt ({@code caps}, {@code node-channels}, ...), empty when no trunk was left. */
    public String refusal() {
        return lastRefusal;
    }

    /**
     * The INVITE of {@code seizure} has left the node: its place in the trunk's and the node's second now counts
     * from here ({@code trunk/sent.lua}), so no carrier sees more INVITEs within any 1000 ms than the limits even
     * when sending lags the seizure (until then seize.lua holds the place the send deadline and a window ahead of the
     * seizure). Once, off the SIP thread: lost to a Redis outage, the place keeps its hold ahead (the safe side), and
     * an update retried long after would mean nothing.
     */
    public void sent(Seizure seizure) {
        writes.once("trunk " + seizure.trunk() + ": INVITE of " + seizure.callId() + " sent", () -> redis.run(SENT,
                List.of(Keys.trunkAttempts(tenant, seizure.trunk()), Keys.outboundNodeAttempts(tenant, nodeId)),
                seizure.callId(), Long.toString(sendDeadline.toMillis() + 2 * capsWindow + 1000)));
    }

    /**
     * Whether {@code seizure}'s INVITE may still be sent, checked just before it is: not once the send deadline
     * ({@link TrunkProperties#sendDeadline}) has passed since the seizure, for its place is held only that and a
     * window ahead and an INVITE leaving later could bunch with the next second's at the carrier. A late one's channel
     * is given back, and the caller hunts on as if its INVITE could not be sent.
     */
    public boolean sendable(Seizure seizure) {
        long late = System.nanoTime() - seizure.seizedNanos();
        if (late <= sendDeadline.toNanos()) {
            return true;
        }
        log.warn("outside call to {} ({}): INVITE on trunk {} not sent {} ms after its seizure, past the send "
                + "deadline; channel given back", e164, tenant, seizure.trunk(), late / 1_000_000);
        release(seizure);
        return false;
    }

    /**
     * Gives the seized channel back ({@code trunk/release.lua}; owed: retried through a Redis outage, never on the SIP
     * thread). A place in the second still held ahead (the INVITE never sent) counts from now, the safe side.
     */
    public void release(Seizure seizure) {
        writes.owe("trunk " + seizure.trunk() + ": channel of " + seizure.callId() + " released", () -> redis.run(
                RELEASE, List.of(Keys.trunkChannels(tenant, seizure.trunk()), Keys.outboundNodeChannels(tenant, nodeId),
                        Keys.outboundChannels(tenant, limits.group()), Keys.trunkAttempts(tenant, seizure.trunk()),
                        Keys.outboundNodeAttempts(tenant, nodeId)), seizure.callId()));
    }

    /**
     * The carrier of {@code seizure} failed the call definitely (503 before ringing, or no answer at all): counted
     * towards taking its trunk out of rotation ({@link TrunkHealth}).
     */
    public void carrierFailed(Seizure seizure) {
        health.failed(tenant, seizure.trunk());
    }

    /** The carrier of {@code seizure} answered in a way that proves it alive (ringing, an answer, a refusal). */
    public void carrierReached(Seizure seizure) {
        health.reached(tenant, seizure.trunk());
    }

    private String requestUri(Trunk trunk) {
        String host = trunk.host().contains(":") ? "[" + trunk.host() + "]" : trunk.host();
        return "sip:" + e164 + "@" + host + ":" + trunk.port()
                + (trunk.transport() == Trunk.Transport.UDP ? "" : ";transport=" + trunk.transport().wire());
    }
}
