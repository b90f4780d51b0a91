package io.tandem.backend.queuecall;

import io.tandem.backend.call.CallerSrtp;
import io.tandem.backend.call.ServiceNumbers;
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
 * ("Join token expired", "Another agent took the call"), after a short prompt as early media (183 with our SDP
 * answer) so a person hears it too. A room held by another live node is not answered here: the B2BUA bridges the
 * INVITE over the trunk to that node ({@link #roomNode}), whose RoomJoins admits it with the caller the trunk names;
 * a room held by a node that is not alive is a 404 naming it.
 */
final class RoomJoins {

    private static final Logger log = LoggerFactory.getLogger(RoomJoins.class);

    private final NodeSignalling signalling;
    private final JoinTokens tokens;
    private final QueueMedia media;
    private final Reinvites reinvites;
    private final Overflow prompts;
    private final Timers timers;

    RoomJoins(NodeSignalling signalling, JoinTokens tokens, QueueMedia media, Reinvites reinvites, Overflow prompts,
            Timers timers) {
        this.signalling = signalling;
        this.tokens = tokens;
        this.media = media;
        this.reinvites = reinvites;
        this.prompts = prompts;
        this.timers = timers;
    }

    /** The other node holding the room {@code number} joins, when the token verifies ({@link JoinTokens#roomNode}). */
    Optional<ServiceNumbers.RemoteRoom> roomNode(String tenant, String caller, String number) {
        return tokens.roomNode(tenant, caller, token(number))
                .map(room -> new ServiceNumbers.RemoteRoom(room.node(), room.queue()));
    }

    private static String token(String number) {
        return number.substring(number.indexOf('*') + 1);
    }

    /**
     * A join INVITE; {@code srtp} the caller's SRTP the B2BUA ended (null for plain RTP): the joiner's leg then
     * answers {@code RTP/SAVP} with the node's key and its stream encrypts, as a queue caller's does (RFC 4568).
     */
    void onInvite(InboundRequest in, String tenant, String caller, String number, CallerSrtp srtp) {
        Optional<ServerTransaction> found = signalling.endpoint().serverTransaction(in.event());
        if (found.isEmpty()) {
            return;
        }
        ServerTransaction st = found.get();
        SessionDescription offer;
        try {
            offer = srtp != null ? srtp.offer() : SessionDescription.parse(SipMessages.bodyText(in.request()));
        } catch (Exception e) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "Unreadable SDP offer", null, null, null, false);
            return;
        }
        String callId = ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId();
        JoinTokens.Verdict verdict = tokens.admit(tenant, caller, token(number));
        Room room = verdict.room();
        if (!verdict.admitted() || !(room.occupant() instanceof ParkedCaller.Occupancy occupancy)) {
            int status = verdict.admitted() ? Response.DECLINE : verdict.status();
            String reason = verdict.admitted() ? "The call is over" : verdict.reason();
            Answered leg = status == Response.DECLINE ? answer(st, callId, offer, srtp) : null;
            if (leg == null) {
                decline(st, status, reason);
            } else {
                refuse(leg, caller, reason);
            }
            return;
        }
        Answered leg = answer(st, callId, offer, srtp);
        if (leg == null) {
            signalling.respond(st, Response.NOT_ACCEPTABLE_HERE, "No common codec: rooms speak G.711", null, null,
                    null, false);
            return;
        }
        Room.Join join = occupancy.dialIn(caller, leg.leg(), leg.answer());
        if (join != Room.Join.JOINED) {
            refuse(leg, caller, tokens.late(join));
            return;
        }
        log.info("{}@{} dialled into {} with its join token ({})", caller, tenant, room, callId);
    }

    /** A leg of this node for the INVITE and our answer to its offer. */
    private record Answered(CallerLeg leg, SdpAnswer answer) {
    }

    /** The INVITE's leg: a stream, our SDP answer, its dialog; null when there is no port, codec or dialog. */
    private Answered answer(ServerTransaction st, String callId, SessionDescription offer, CallerSrtp srtp) {
        RtpMediaStream stream;
        try {
            stream = media.open();
        } catch (IOException e) {
            log.warn("join {}: no RTP port: {}", callId, e.getMessage());
            return null;
        }
        CallerLeg leg = new CallerLeg(callId, signalling, reinvites, media, stream, false);
        if (srtp != null) {
            leg.secure(srtp);
        }
        try {
            SdpAnswer answer = leg.negotiate(st, offer);
            if (leg.openDialog()) {
                return new Answered(leg, answer);
            }
        } catch (SdpNegotiationException e) {
            log.info("join {}: no common codec", callId);
        }
        stream.close();
        return null;
    }

    /** The refusal's prompt as early media (183), then 603 with the reason once it has been heard. */
    private void refuse(Answered answered, String caller, String reason) {
        CallerLeg leg = answered.leg();
        leg.start(answered.answer().media(), digit -> { });
        Goodbye prompt = prompts.joinRefused();
        leg.hear(prompt.source());
        leg.early(answered.answer(), caller);
        prompt.afterHeard(timers, () -> {
            leg.decline(Response.DECLINE, reason);
            leg.close();
        });
    }

    /** A final refusal without a prompt. */
    private void decline(ServerTransaction st, int status, String reason) {
        Response response = signalling.endpoint().messages().responseTo(st.getRequest(), status, reason, null);
        response.addHeader(signalling.header("Reason", "SIP ;cause=" + status + " ;text=\"" + reason + "\""));
        signalling.send(st, response, false);
    }
}
