package io.tandem.backend.call;

import io.tandem.backend.cdr.CallRecord;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.backend.node.NodeMetrics;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.OwedWrites;
import io.tandem.backend.trunk.CarrierChannels;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.telephony.relay.RelayStatistics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls with a leg on this node, found by the Call-ID of any of their legs, and what a {@link Bridge} needs
 * around it: signalling, timers, clock, metrics, call records and the per-user call fields in Redis.
 */
final class Calls {

    private static final Logger log = LoggerFactory.getLogger(Calls.class);

    final Signalling signalling;
    final CallProperties properties;
    final ScheduledExecutorService timers;
    final Clock clock;
    final String nodeId;
    private final NodeMetrics metrics;
    private final CallRecords records;
    private final CallPresence presence;
    private final OwedWrites writes;
    private final PartyCalls parties;
    private final CarrierChannels carrierChannels;
    /** Where the cluster finds the dialogs of this node's legs (Replaces reaching another node, RFC 3891). */
    final DialogIndex dialogs;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();
    private final Set<Bridge> bridges = ConcurrentHashMap.newKeySet();

    Calls(Signalling signalling, CallProperties properties, ScheduledExecutorService timers, Clock clock,
            String nodeId, NodeMetrics metrics, CallRecords records, CallPresence presence, OwedWrites writes,
            PartyCalls parties, CarrierChannels carrierChannels, DialogIndex dialogs) {
        this.carrierChannels = carrierChannels;
        this.signalling = signalling;
        this.properties = properties;
        this.timers = timers;
        this.clock = clock;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.records = records;
        this.presence = presence;
        this.writes = writes;
        this.parties = parties;
        this.dialogs = dialogs;
    }

    Leg find(String callId) {
        return callId == null ? null : legs.get(callId);
    }

    void register(Leg leg) {
        legs.put(leg.callId, leg);
    }

    void forget(Leg leg) {
        // A leg moved into another call (Leg#movedTo) is registered under the same Call-ID: only the last one's
        // going ends the dialog.
        if (legs.remove(leg.callId, leg)) {
            dialogs.ended(leg);
        }
    }

    void started(Bridge bridge) {
        bridges.add(bridge);
        metrics.callStarted();
        // a call from the public network holds a channel of its trunk for as long as it lasts
        carrierChannels.occupy(bridge.tenant, bridge.id(), bridge.carrierIn);
    }

    /** The calls in progress on this node, as they are now. */
    List<Bridge> bridges() {
        return List.copyOf(bridges);
    }

    /** Calls in progress on this node. */
    int active() {
        return bridges.size();
    }

    /**
     * The parties whose legs this node holds are in the call now. Written off the SIP threads, once: a field written
     * late, after the call's end, would show the party on a call for good (and the ACD would skip the agent).
     */
    void answered(Bridge bridge) {
        // The parties given a call field, and those counted on a direct call, are remembered on the bridge and
        // exactly those are let go at its end: a transfer may put a leg of another node where the callee was.
        List<String> fielded = new ArrayList<>(2);
        // The writes take the call's values, never the bridge: a write waits in the owed writes' queue for as long
        // as Redis keeps it, and a bridge held there keeps its legs, transactions, messages and relay sockets from
        // the collector (JFR and class histograms under a backlog: ~900 ended bridges live at 50 calls/s).
        String tenant = bridge.tenant;
        String id = bridge.id();
        String caller = bridge.caller();
        String callee = bridge.callee();
        Instant answeredAt = bridge.answeredAt();
        // A caller from the public network is no user: nothing of it to show or count.
        if (bridge.recordedHere() && bridge.carrierIn == null) {
            fielded.add(caller);
            String named = bridge.recordedCallee();
            writes.once("call " + id + ": caller's call field", () -> presence.put(tenant, caller, id, named,
                    "out", answeredAt));
        }
        if (bridge.calleeIsLocal()) {
            fielded.add(callee);
            writes.once("call " + id + ": callee's call field", () -> presence.put(tenant, callee, id, caller,
                    "in", answeredAt));
        }
        bridge.withCallField(fielded);
        // Owed, not once: the ACD's counts commute, so a late write still sums right with the call's end.
        List<String> counted = new ArrayList<>(2);
        if (bridge.recordedHere() && bridge.carrierIn == null) {
            counted.add(bridge.caller());
        }
        if (bridge.calleeIsLocal() && !bridge.carriesQueueOffer()) {
            counted.add(bridge.callee());
        }
        bridge.onDirectCall(counted);
        for (String party : counted) {
            writes.owe("call " + id + ": " + party + " on a direct call", () -> parties.joined(tenant, party));
        }
    }

    /**
     * {@code callee} answered the call and our 200 to the caller goes next: both dialogs go into the cluster's index
     * now, before either phone can name one in a Replaces sent to another node (its REFER may follow the 200 by
     * milliseconds). On the SIP thread, as routing's reads are.
     */
    void dialogsConfirmed(Bridge bridge, Leg callee) {
        dialogs.confirmed(bridge.tenant, List.of(bridge.callerLeg, callee));
    }

    /**
     * A transfer put {@code replacement} where {@code replaced} was: the call fields and direct-call counts follow
     * the parties (the new party gets no call field; the record of the transfer is the CDR). The
     * party who left is let go at once, not when the transferred call ends; the new party is counted when its leg
     * is on this node (a leg over the trunk is counted by the node that holds it).
     */
    void replaced(Bridge bridge, Leg replaced, Leg replacement) {
        dialogs.confirmed(bridge.tenant, replacement);
        String tenant = bridge.tenant;
        String id = bridge.id();
        String gone = replaced.party;
        String joining = replacement.party;
        List<String> fielded = new ArrayList<>(bridge.withCallField());
        if (fielded.remove(gone)) {
            writes.owe("call " + id + ": " + gone + "'s call field removed (transferred)",
                    () -> presence.remove(tenant, gone, id));
            bridge.withCallField(fielded);
        }
        List<String> counted = new ArrayList<>(bridge.onDirectCall());
        if (counted.remove(gone)) {
            writes.owe("call " + id + ": " + gone + "'s direct call over (transferred)",
                    () -> parties.left(tenant, gone));
        }
        // A leg over the trunk is counted by its node; a carrier's party is no user.
        if (!replacement.trunk && replacement.seizure == null && Keys.EXTENSION.matcher(replacement.party).matches()
                && (replacement.target == null || !replacement.target.viaTrunk())) {
            counted.add(joining);
            writes.owe("call " + id + ": " + joining + " on a direct call (transferred)",
                    () -> parties.joined(tenant, joining));
        }
        bridge.onDirectCall(counted);
    }

    /**
     * {@code party}'s leg leaves this call for a feature of this node that holds it from now on (a queue call taking
     * a local consultation's colleague, {@link ConsultationHandover}): its call field, now naming {@code peer}, and
     * its direct-call count stay when this call ends, and are let go by the returned task (run once, when that
     * feature's leg ends) instead.
     */
    Runnable passedOn(Bridge bridge, String party, String peer) {
        List<String> fielded = new ArrayList<>(bridge.withCallField());
        boolean field = fielded.remove(party);
        bridge.withCallField(fielded);
        List<String> counted = new ArrayList<>(bridge.onDirectCall());
        boolean count = counted.remove(party);
        bridge.onDirectCall(counted);
        String tenant = bridge.tenant;
        String id = bridge.id();
        if (field) {
            Instant answeredAt = bridge.answeredAt();
            writes.once("call " + id + ": " + party + "'s call field, now with " + peer,
                    () -> presence.put(tenant, party, id, peer, "in", answeredAt));
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            if (field) {
                writes.owe("call " + id + ": " + party + "'s call field removed (passed on)",
                        () -> presence.remove(tenant, party, id));
            }
            if (count) {
                writes.owe("call " + id + ": " + party + "'s direct call over (passed on)",
                        () -> parties.left(tenant, party));
            }
        };
    }

    /** Adds what a call's relay carried, both directions, to the node's RTP counters. */
    void relayed(RelayStatistics aToB, RelayStatistics bToA) {
        long sent = aToB.packetsForwarded() + bToA.packetsForwarded();
        long dropped = aToB.packetsDropped() + bToA.packetsDropped();
        metrics.rtpPackets(sent + dropped, sent, dropped);
        metrics.srtpRefused(aToB.srtpRefused() + bToA.srtpRefused());
    }

    /** One CDR per call, written by the node the call entered (a trunk leg's node writes none). */
    void ended(Bridge bridge, String cause, String hungUpBy) {
        if (!bridges.remove(bridge)) {
            return;
        }
        metrics.callEnded();
        carrierChannels.release(bridge.tenant, bridge.id(), bridge.carrierIn);
        // Owed writes, in order after the call fields above, retried through a Redis outage: no record is lost.
        String tenant = bridge.tenant;
        String id = bridge.id();
        for (String party : bridge.withCallField()) {
            writes.owe("call " + id + ": " + party + "'s call field removed", () -> presence.remove(tenant, party, id));
        }
        for (String party : bridge.onDirectCall()) {
            writes.owe("call " + id + ": " + party + "'s direct call over", () -> parties.left(tenant, party));
        }
        if (bridge.recordedHere()) {
            CallRecord record = new CallRecord(bridge.id(), bridge.tenant, bridge.caller(), bridge.recordedCallee(),
                    bridge.nodes(), bridge.startedAt(), bridge.answeredAt(), clock.instant(), cause, hungUpBy,
                    bridge.recordedQueue(), bridge.recordedAgent());
            CarrierLeg carrier = bridge.carrier();
            Map<String, String> extra = new LinkedHashMap<>();
            if (carrier != null) {
                extra.put("trunk", carrier.trunk());
                extra.put("did", carrier.did());
            }
            String transfers = bridge.transfers();
            if (!transfers.isEmpty()) {
                extra.put("transfers", transfers);
            }
            writes.owe("call " + bridge.id() + ": its record", () -> records.append(record, extra));
        }
        log.info("call {} {} -> {} ended: {} (hung up by {})", bridge.id(), bridge.caller(), bridge.recordedCallee(),
                cause,
                hungUpBy);
    }
}
