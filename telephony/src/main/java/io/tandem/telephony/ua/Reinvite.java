package io.tandem.telephony.ua;

import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Offer/answer inside an established call (RFC 3261 §14, RFC 3264 §8): our re-INVITEs for hold
 * and resume, with 491 glare back-off, and the far end's re-INVITEs (remote hold, new address).
 * Signalling thread only.
 */
final class Reinvite {
    private static final Logger LOG = LoggerFactory.getLogger(Reinvite.class);

    private final Call call;
    private final InviteSession session;
    private ClientTransaction reinviteTx;
    private boolean reinviteHold;

    Reinvite(Call call, InviteSession session) {
        this.call = call;
        this.session = session;
    }

    boolean owns(ClientTransaction tx) {
        return tx != null && tx == reinviteTx;
    }

    void send(boolean hold) {
        if (call.state() != CallState.CONNECTED || call.dialog == null) {
            return;
        }
        if (reinviteTx != null) {
            LOG.debug("re-INVITE already in progress");
            return;
        }
        // RFC 3264 §8.4: hold is a new offer with sendonly (or inactive if we were already held).
        MediaDirection wanted = hold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        try {
            SessionDescription offer = call.negotiator.createOffer(call.stream.localAddress(), wanted);
            Request request = session.messages().inDialog(call.dialog, Request.INVITE, session.ua().config().user(), session.transport());
            session.messages().setBody(request, InviteSession.SDP, offer.encode());
            ClientTransaction tx = session.ua().endpoint().provider().getNewClientTransaction(request);
            reinviteTx = tx;
            reinviteHold = hold;
            call.dialog.sendRequest(tx);
        } catch (Exception e) {
            reinviteTx = null;
            LOG.warn("cannot send re-INVITE: {}", e.getMessage());
        }
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        reinviteTx = null;
        if (status < 300) {
            try {
                long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
                Request ack = call.dialog.createAck(cseq);
                session.rememberAck(ack);
                InviteSession.sendAck(call.dialog, ack);
            } catch (Exception e) {
                LOG.warn("cannot ACK re-INVITE: {}", e.getMessage());
            }
            try {
                NegotiatedMedia media = call.negotiator.accept(SessionDescription.parse(SipMessages.bodyText(response)));
                session.applyMedia(media, reinviteHold);
            } catch (SdpException | SdpNegotiationException e) {
                LOG.warn("unusable SDP answer to re-INVITE: {}", e.getMessage());
            }
        } else if (status == 491) {
            // RFC 3261 §14.1: glare. The Call-ID owner retries after 2.1-4 s, the other side after 0-2 s.
            boolean owner = !call.incoming;
            long delay = owner ? ThreadLocalRandom.current().nextLong(2100, 4000)
                    : ThreadLocalRandom.current().nextLong(0, 2000);
            boolean hold = reinviteHold;
            session.ua().schedule(call, () -> send(hold), delay, TimeUnit.MILLISECONDS);
        } else if (status == 481 || status == 408) {
            // RFC 3261 §14.1: the dialog is gone.
            call.end(status);
        }
    }

    void onIncoming(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        if (reinviteTx != null) {
            // RFC 3261 §14.2: an offer of ours is pending, so this one crosses it.
            session.respond(request, st, 491, null);
            return;
        }
        MediaDirection wanted = call.isOnHold() ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        try {
            Response ok = session.messages().responseTo(request, 200);
            ok.setHeader(session.contact());
            if (InviteSession.hasSdp(request)) {
                SdpAnswer answer = call.negotiator.answer(SessionDescription.parse(SipMessages.bodyText(request)),
                        call.stream.localAddress(), wanted);
                session.messages().setBody(ok, InviteSession.SDP, answer.description().encode());
                st.sendResponse(ok);
                session.applyMedia(answer.media(), call.isOnHold());
            } else {
                session.expectAnswerInAck();
                session.messages().setBody(ok, InviteSession.SDP, call.negotiator.createOffer(call.stream.localAddress(), wanted).encode());
                st.sendResponse(ok);
            }
        } catch (SdpException e) {
            session.respond(request, st, 400, "Bad SDP: " + e.getMessage());
        } catch (SdpNegotiationException e) {
            // RFC 3261 §14.2: the old session stays in place.
            session.respond(request, st, 488, e.getMessage());
        } catch (Exception e) {
            LOG.warn("cannot answer re-INVITE: {}", e.getMessage());
            session.respond(request, st, 500, "Cannot answer re-INVITE");
        }
    }
}
