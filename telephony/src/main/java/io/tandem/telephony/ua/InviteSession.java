package io.tandem.telephony.ua;

import io.tandem.telephony.codec.Codecs;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.NegotiatedMedia;
import io.tandem.telephony.sdp.SdpAnswer;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SdpNegotiationException;
import io.tandem.telephony.sdp.SdpNegotiator;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.srtp.Sdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The INVITE dialog of one {@link Call} (RFC 3261 §13–15, offer/answer RFC 3264): the initial
 * INVITE both ways, CANCEL, BYE, re-INVITE for hold and resume with 491 glare handling, and
 * DTMF by SIP INFO. Runs only on the user agent's signalling thread.
 */
final class InviteSession {
    private static final Logger LOG = LoggerFactory.getLogger(InviteSession.class);
    static final String SDP = "application/sdp";
    private static final int MAX_AUTH_ATTEMPTS = 2;

    private final Call call;
    final CallTransfer transfer;
    private String localTag;
    private SdpAnswer pendingAnswer;
    private boolean offerInAnswer;
    private boolean provisionalReceived;
    private boolean cancelRequested;
    private boolean answerAccepted;
    private int authAttempts;
    private Request lastAck;
    final Reinvite reinvite;
    final CallDtmf dtmf;
    final SessionRefresh refresh;

    InviteSession(Call call) {
        this.call = call;
        this.transfer = new CallTransfer(call);
        this.reinvite = new Reinvite(call, this);
        this.dtmf = new CallDtmf(call, this);
        this.refresh = new SessionRefresh(call, this);
    }

    UserAgent ua() {
        return call.ua;
    }

    SipMessages messages() {
        return ua().endpoint().messages();
    }

    // ---------------------------------------------------------------- outgoing

    void placeCall(URI target, Address to) {
        placeCall(target, to, java.util.Map.of());
    }

    void placeCall(URI target, Address to, java.util.Map<String, String> headers) {
        try {
            call.stream = ua().mediaFactory().open(ua().config().localAddress());
            applySourceAndSink();
        } catch (IOException e) {
            LOG.warn("no media port for call to {}: {}", target, e.getMessage());
            call.end(503);
            return;
        }
        call.negotiator = new SdpNegotiator(ua().config().codecs(), true, ua().config().srtp());
        SessionDescription offer = call.negotiator.createOffer(call.stream.localAddress(), MediaDirection.SENDRECV);
        String transport = Registration.transportOf(target);
        try {
            Request invite = messages().outOfDialog(Request.INVITE, target, ua().addressOfRecord(),
                    SipMessages.newToken(), to, call.callId, 1, transport, ua().config().user());
            for (var header : headers.entrySet()) {
                invite.addHeader(messages().headers().createHeader(header.getKey(), header.getValue()));
            }
            messages().setBody(invite, SDP, offer.encode());
            sendInvite(invite);
        } catch (Exception e) {
            LOG.warn("cannot send INVITE to {}: {}", target, e.getMessage());
            call.end(500);
        }
    }

    private void sendInvite(Request invite) throws Exception {
        call.invite = invite;
        ClientTransaction tx = ua().endpoint().provider().getNewClientTransaction(invite);
        call.dialog = ua().endpoint().provider().getNewDialog(tx);
        call.inviteTx = tx;
        tx.sendRequest();
    }

    void onInviteResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        ClientTransaction tx = event.getClientTransaction();
        if (tx == null) {
            // RFC 3261 §13.2.2.4: a retransmitted 2xx is answered with the same ACK.
            if (status >= 200 && status < 300 && lastAck != null && call.dialog != null) {
                sendAck(call.dialog, lastAck);
            }
            return;
        }
        if (reinvite.owns(tx)) {
            reinvite.onResponse(event);
            return;
        }
        if (tx != call.inviteTx) {
            return;
        }
        if (status < 200) {
            onProvisional(response);
        } else if (status < 300) {
            onAnswered(event);
        } else if ((status == 401 || status == 407) && authAttempts < MAX_AUTH_ATTEMPTS && !cancelRequested
                && ua().config().password() != null) {
            retryWithCredentials(response, status);
        } else {
            call.end(status);
        }
    }

    private void onProvisional(Response response) {
        provisionalReceived = true;
        if (cancelRequested) {
            sendCancel();
            return;
        }
        if (response.getStatusCode() == 100) {
            return;
        }
        if (hasSdp(response) && !answerAccepted && acceptAnswer(response)) {
            // RFC 3261 §13.2.1 / RFC 3264: the answer in a reliable-enough 183 starts early media.
            call.setState(CallState.EARLY_MEDIA);
        } else if (call.state() == CallState.CALLING) {
            call.setState(CallState.RINGING);
        }
    }

    private void onAnswered(ResponseEvent event) {
        Dialog dialog = event.getDialog() != null ? event.getDialog() : call.dialog;
        call.dialog = dialog;
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            lastAck = dialog.createAck(cseq);
            sendAck(dialog, lastAck);
        } catch (Exception e) {
            LOG.warn("cannot ACK 2xx: {}", e.getMessage());
        }
        if (cancelRequested || call.state() == CallState.ENDED) {
            // CANCEL lost the race with the answer (RFC 3261 §9.1): end the dialog with BYE.
            sendBye();
            call.end(487);
            return;
        }
        if (!answerAccepted && !acceptAnswer(event.getResponse())) {
            sendBye();
            call.end(488);
            return;
        }
        refresh.onAnswered(event.getResponse());
        call.setState(CallState.CONNECTED);
    }

    private boolean acceptAnswer(Response response) {
        if (!hasSdp(response)) {
            return false;
        }
        try {
            NegotiatedMedia media = call.negotiator.accept(
                    SessionDescription.parse(SipMessages.bodyText(response)));
            answerAccepted = true;
            applyMedia(media, false);
            return true;
        } catch (SdpException | SdpNegotiationException e) {
            LOG.warn("unusable SDP answer: {}", e.getMessage());
            return false;
        }
    }

    private void retryWithCredentials(Response response, int status) {
        authAttempts++;
        String headerName = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        Header challengeHeader = response.getHeader(headerName);
        try {
            DigestChallenge challenge = DigestChallenge.parse(Registration.headerValue(challengeHeader));
            Request retry = (Request) call.invite.clone();
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((ViaHeader) retry.getHeader(ViaHeader.NAME)).setBranch(SipMessages.newBranch());
            String value = ua().digest().authorization(challenge, Request.INVITE,
                    retry.getRequestURI().toString(), ua().config().user(), ua().config().password());
            retry.setHeader(messages().headers().createHeader(
                    status == 407 ? "Proxy-Authorization" : "Authorization", value));
            sendInvite(retry);
        } catch (Exception e) {
            LOG.warn("cannot answer challenge: {}", e.getMessage());
            call.end(status);
        }
    }

    private void sendCancel() {
        try {
            Request cancel = call.inviteTx.createCancel();
            ua().endpoint().provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            LOG.debug("cannot CANCEL: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- incoming

    void onInitialInvite(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        call.invite = request;
        call.inviteSt = st;
        localTag = SipMessages.newToken();
        try {
            call.dialog = ua().endpoint().provider().getNewDialog(st);
        } catch (Exception e) {
            LOG.warn("cannot create dialog: {}", e.getMessage());
            respond(request, st, 500, "Cannot create dialog");
            call.end(500);
            return;
        }
        SessionDescription offer = null;
        if (hasSdp(request)) {
            try {
                offer = SessionDescription.parse(SipMessages.bodyText(request));
            } catch (SdpException e) {
                respond(request, st, 400, "Bad SDP: " + e.getMessage());
                call.end(400);
                return;
            }
        } else if (request.getRawContent() != null && request.getRawContent().length > 0) {
            respond(request, st, 415, "Unsupported Media Type");
            call.end(415);
            return;
        }
        try {
            call.stream = ua().mediaFactory().open(ua().config().localAddress());
            applySourceAndSink();
        } catch (IOException e) {
            respond(request, st, 503, "No media ports available");
            call.end(503);
            return;
        }
        call.negotiator = new SdpNegotiator(ua().config().codecs(), true, ua().config().srtp());
        if (offer != null) {
            try {
                pendingAnswer = call.negotiator.answer(offer, call.stream.localAddress(), MediaDirection.SENDRECV);
            } catch (SdpNegotiationException e) {
                // RFC 3261 §21.4.26: nothing in the offer is acceptable.
                respond(request, st, 488, e.getMessage());
                call.end(488);
                return;
            }
        } else {
            offerInAnswer = true; // RFC 3264 §5 / RFC 3261 §13.2.1: we offer in the 200, answer comes in ACK
        }
        respond(request, st, 180, null);
        ua().events().post(l -> l.onIncomingCall(call));
        if (ua().config().autoAnswer()) {
            answer();
        }
    }

    void answer() {
        if (!call.incoming || call.state() != CallState.RINGING) {
            return;
        }
        try {
            Response ok = messages().responseTo(call.invite, 200, null, localTag);
            ok.setHeader(contact());
            if (offerInAnswer) {
                messages().setBody(ok, SDP, call.negotiator
                        .createOffer(call.stream.localAddress(), MediaDirection.SENDRECV).encode());
            } else {
                messages().setBody(ok, SDP, pendingAnswer.description().encode());
            }
            if (!offerInAnswer) {
                // RFC 3264 §6: once the answer is sent the answerer must be ready for media, so the stream starts
                // first (set after the send, the caller could be connected and sending while this side was not).
                applyMedia(pendingAnswer.media(), false);
            }
            call.inviteSt.sendResponse(ok);
            call.setState(CallState.CONNECTED);
        } catch (Exception e) {
            LOG.warn("cannot answer: {}", e.getMessage());
            call.end(500);
        }
    }

    void reject(int status) {
        if (!call.incoming || call.state() != CallState.RINGING) {
            return;
        }
        respond(call.invite, call.inviteSt, status, null);
        call.end(status);
    }

    void onAck(RequestEvent event) {
        if (offerInAnswer && hasSdp(event.getRequest())) {
            offerInAnswer = false;
            try {
                applyMedia(call.negotiator.accept(SessionDescription.parse(SipMessages.bodyText(event.getRequest()))),
                        call.isOnHold());
            } catch (SdpException | SdpNegotiationException e) {
                LOG.warn("unusable SDP in ACK, ending call: {}", e.getMessage());
                sendBye();
                call.end(488);
            }
        }
    }

    void onCancel(RequestEvent event, ServerTransaction st) {
        respond(event.getRequest(), st, 200, null);
        if (call.incoming && call.state() == CallState.RINGING) {
            // RFC 3261 §9.2: the INVITE is answered 487 Request Terminated.
            respond(call.invite, call.inviteSt, 487, null);
            call.end(487);
        }
    }

    void onBye(RequestEvent event, ServerTransaction st) {
        respond(event.getRequest(), st, 200, null);
        call.end(200);
    }

    void hangup() {
        switch (call.state()) {
            case CALLING, RINGING, EARLY_MEDIA -> {
                if (call.incoming) {
                    reject(603);
                } else {
                    cancelRequested = true;
                    if (provisionalReceived) {
                        sendCancel();
                    }
                    call.end(487);
                }
            }
            case CONNECTED -> {
                sendBye();
                call.end(200);
            }
            default -> {
            }
        }
    }

    void sendBye() {
        try {
            Request bye = messages().inDialog(call.dialog, Request.BYE, null, null);
            ClientTransaction tx = ua().endpoint().provider().getNewClientTransaction(bye);
            call.dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.debug("cannot send BYE: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- media

    private NegotiatedMedia currentMedia;

    boolean hasTelephoneEvent() {
        NegotiatedMedia m = currentMedia;
        return call.mediaStarted && m != null && m.telephoneEventPayloadType() >= 0;
    }

    /** RFC 3261 §13.2.2.4: the ACK to resend when the 2xx it answered is retransmitted. */
    void rememberAck(Request ack) {
        lastAck = ack;
    }

    /** The peer sent no offer: ours goes in the 2xx, its answer comes in the ACK (RFC 3264 §5). */
    void expectAnswerInAck() {
        offerInAnswer = true;
    }

    /** Starts or re-points the stream and sets its direction after each completed offer/answer. */
    void applyMedia(NegotiatedMedia media, boolean hold) {
        NegotiatedMedia previous = currentMedia;
        currentMedia = media;
        Sdes.Keys before = previous == null ? null : previous.srtp();
        if (!Objects.equals(before, media.srtp())) {
            call.stream.secure(media.srtp()); // new keys only: a re-INVITE with the same keys keeps the contexts
        }
        InetSocketAddress remote = media.remoteRtp();
        boolean usableRemote = remote != null && !remote.getAddress().isAnyLocalAddress();
        boolean repoint = !call.mediaStarted
                || (usableRemote && previous != null && (!remote.equals(previous.remoteRtp())
                || !media.codec().sameCodecAs(previous.codec())));
        if (repoint && (usableRemote || !call.mediaStarted)) {
            call.stream.start(remote, Codecs.create(media.codec()), media.telephoneEventPayloadType());
            if (!call.mediaStarted) {
                call.stream.onDtmf(digit -> ua().events().post(l -> l.onDtmf(call, digit)));
            }
            call.mediaStarted = true;
        }
        call.stream.setDirection(media.direction());
        MediaDirection directionBefore = call.mediaDirection();
        call.media(media, hold);
        if (directionBefore != media.direction()) {
            ua().events().post(l -> l.onMediaDirection(call, media.direction()));
        }
    }

    private void applySourceAndSink() {
        call.stream.setSource(call.source());
        call.stream.setSink(call.sink());
    }

    // ---------------------------------------------------------------- helpers

    String transport() {
        return call.invite == null ? "udp"
                : ((ViaHeader) call.invite.getHeader(ViaHeader.NAME)).getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    ContactHeader contact() {
        return messages().contact(ua().config().user(), transport());
    }

    static boolean hasSdp(javax.sip.message.Message message) {
        return SDP.equals(SipMessages.contentType(message)) && message.getRawContent() != null
                && message.getRawContent().length > 0;
    }

    void respond(Request request, ServerTransaction st, int status, String reason) {
        Response response = messages().responseTo(request, status, reason,
                request.getMethod().equals(Request.INVITE) && call.incoming && st == call.inviteSt ? localTag : null);
        if (status >= 180 && status < 300 && Request.INVITE.equals(request.getMethod())) {
            response.setHeader(contact());
        }
        try {
            if (st != null) {
                st.sendResponse(response);
            } else {
                ua().endpoint().respondStateless(response);
            }
        } catch (Exception e) {
            LOG.debug("cannot send {}: {}", status, e.getMessage());
        }
    }

    static void sendAck(Dialog dialog, Request ack) {
        try {
            dialog.sendAck(ack);
        } catch (Exception e) {
            LOG.debug("cannot send ACK: {}", e.getMessage());
        }
    }

    static String fromUri(Request request) {
        return ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
    }
}
