package io.tandem.backend.queuecall;

import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.backend.node.sip.OutgoingBranch;
import io.tandem.backend.node.sip.OutgoingInvite;
import io.tandem.backend.routing.Route;
import io.tandem.protocol.Monitor;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpNegotiator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The call from the node holding a queue call's media to a supervisor's phone: its own Call-ID, dialog and RTP
 * stream, tapped into the call's {@link CallBridge} once answered. Guarded by {@link MonitorLegs}' monitor.
 */
final class MonitorLeg {

    enum State { RINGING, CONNECTED, ENDED }

    final String tenant;
    final RtpMediaStream stream;
    final SdpNegotiator negotiator;
    final String queue;
    final String agent;
    Monitor monitor;
    MonitorMode mode;
    /** RINGING → CONNECTED → ENDED as the monitor sees it; the INVITE's own outcome is the branch's. */
    State state = State.RINGING;
    /** The INVITE to the supervisor's phone and its dialog. */
    final OutgoingBranch branch;
    ScheduledFuture<?> ringTimer;
    /** Our offer, SRTP to a supervisor's phone of this node reached over TLS; set when the INVITE is sent. */
    PlacedSrtp placed;

    MonitorLeg(String tenant, Monitor monitor, MonitorMode mode, OutgoingBranch branch, RtpMediaStream stream,
            SdpNegotiator negotiator, String queue, String agent) {
        this.tenant = tenant;
        this.monitor = monitor;
        this.mode = mode;
        this.branch = branch;
        this.stream = stream;
        this.negotiator = negotiator;
        this.queue = queue;
        this.agent = agent;
    }

    /** The leg's own Call-ID. */
    String callId() {
        return branch.callId();
    }

    /**
     * Calls the supervisor's phone: From names the call being monitored ({@code fromUser} the queue, {@code display}
     * what the phone shows), so the supervisor sees what it is about to join; signed for the trunk when the phone is
     * on another node.
     */
    boolean invite(NodeSignalling signalling, Route.Target target, String fromUser, String display, PlacedSrtp sdp) {
        placed = sdp;
        return signalling.invite(branch, new OutgoingInvite(target.requestUri(), target.transport(), target.viaTrunk(),
                fromUser, display, monitor.extension(), tenant, false, List.of(), sdp.offer())
                .routedThrough(target.routeSet()));
    }

    @Override
    public String toString() {
        return "monitor " + monitor.monitorId() + " of " + monitor.callId() + " to " + monitor.extension() + " ("
                + callId() + ")";
    }
}
