package io.tandem.backend.queuecall;

import io.tandem.backend.conference.JoinTokens;
import io.tandem.backend.conference.Room;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.telephony.rtp.RtpMediaStream;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A woken device dialling a room's join number, {@code join*<token>} (the B2BUA authenticated it as the extension
 * in From): the token is checked ({@link JoinTokens}: signature, expiry, tenant, the caller is its user, the room is
 * here, single use), then the room's parked call answers the INVITE and connects it through the room if it still
 * waits for a join. Every refusal is a 603 Decline whose reason phrase and {@code Reason} header (RFC 3326) say why
 * ("Join token expired", "Another agent took the call"); a room held by another node is a 404 naming it.
 */
final class RoomJoins {

    private static final Logger log = LoggerFactory.getLogger(RoomJoins.class);

    private final NodeSignalling signalling;
    private final JoinTokens tokens;
    private final QueueMedia media;
    private final Reinvites reinvites;

    RoomJoins(NodeSignalling signalling, JoinTokens tokens, QueueMedia media, Reinvites reinvites) {
        this.signalling = signalling;
        this.tokens = tokens;
        this.media = media;
        this.reinvites = reinvites;
    }

    void onInvite(InboundRequest in, String tenant, String caller, String number) {
        Optional<ServerTransaction> found = signalling.endpoint().serverTransaction(in.event());
        if (found.isEmpty()) {
            return;
        }
        ServerTransaction st = found.get();
        JoinTokens.Verdict verdict = tokens.admit(tenant, caller, number.substring(number.indexOf('*') + 1));
        if (!verdict.admitted()) {
            decline(st, verdict.status(), verdict.reason());
            return;
        }
        Room room = verdict.room();
        if (!(room.occupant() instanceof ParkedCaller.Occupancy occupancy)) {
            decline(st, Response.DECLINE, "The call is over");
            return;
        }
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(SipMessages.bodyText(in.request()));
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unreadable SDP offer", null, null, null, false);
            return;
        }
        RtpMediaStream stream;
        try {
            stream = media.open();
        } catch (IOException e) {
            signalling.respond(st, Response.SERVICE_UNAVAILABLE, "No media ports available", null, null, null, false);
            return;
        }
        String callId = ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId();
        CallerLeg leg = new CallerLeg(callId, signalling, reinvites, media, stream, false);
        SdpAnswer answer;
        try {
            answer = leg.negotiate(st, offer);
        } catch (SdpNegotiationException e) {
            stream.close();
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "No common codec: rooms speak G.711", null, null,
                    null, false);
            return;
        }
        if (!leg.openDialog()) {
            stream.close();
            signalling.respond(st, Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog", null, null, null,
                    false);
            return;
        }
        Room.Join join = occupancy.dialIn(caller, leg, answer);
        if (join != Room.Join.JOINED) {
            stream.close();
            decline(st, Response.DECLINE, tokens.late(join));
            return;
        }
        log.info("{}@{} dialled into {} with its join token ({})", caller, tenant, room, callId);
    }

    /** A final refusal whose reason the phone can show: the reason phrase and RFC 3326's Reason header. */
    private void decline(ServerTransaction st, int status, String reason) {
        Response response = signalling.endpoint().messages().responseTo(st.getRequest(), status, reason, null);
        response.addHeader(signalling.header("Reason", "SIP ;cause=" + status + " ;text=\"" + reason + "\""));
        signalling.send(st, response, false);
    }
}
