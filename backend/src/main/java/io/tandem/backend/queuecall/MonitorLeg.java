package io.tandem.backend.queuecall;

import io.tandem.protocol.Monitor;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpNegotiator;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;

/**
 * The call from the node holding a queue call's media to a supervisor's phone: its own Call-ID, dialog and RTP
 * stream, tapped into the call's {@link CallBridge} once answered. Guarded by {@link MonitorLegs}' monitor.
 */
final class MonitorLeg {

    enum State { RINGING, CONNECTED, ENDED }

    final String tenant;
    final String legCallId;
    final RtpMediaStream stream;
    final SdpNegotiator negotiator;
    final String queue;
    final String agent;
    Monitor monitor;
    MonitorMode mode;
    State state = State.RINGING;
    Dialog dialog;
    ClientTransaction inviteTx;
    boolean provisional;
    boolean cancelPending;
    Request lastAck;
    ScheduledFuture<?> ringTimer;

    MonitorLeg(String tenant, Monitor monitor, MonitorMode mode, String legCallId, RtpMediaStream stream,
            SdpNegotiator negotiator, String queue, String agent) {
        this.tenant = tenant;
        this.monitor = monitor;
        this.mode = mode;
        this.legCallId = legCallId;
        this.stream = stream;
        this.negotiator = negotiator;
        this.queue = queue;
        this.agent = agent;
    }

    @Override
    public String toString() {
        return "monitor " + monitor.monitorId() + " of " + monitor.callId() + " to " + monitor.extension() + " ("
                + legCallId + ")";
    }
}
