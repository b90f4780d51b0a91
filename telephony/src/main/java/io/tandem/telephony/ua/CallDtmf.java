package io.tandem.telephony.ua;

import io.tandem.telephony.sip.SipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * DTMF of one call: sent as RFC 4733 telephone-events when the far end accepted them in SDP,
 * else by SIP INFO; received from RFC 4733 (via the media stream) and from SIP INFO bodies
 * ({@code application/dtmf-relay}, {@code application/dtmf}). Signalling thread only.
 */
final class CallDtmf {
    private static final Logger LOG = LoggerFactory.getLogger(CallDtmf.class);
    private static final int DTMF_MILLIS = 160;

    private final Call call;
    private final InviteSession session;

    CallDtmf(Call call, InviteSession session) {
        this.call = call;
        this.session = session;
    }

    void sendDtmf(char digit) {
        if (session.hasTelephoneEvent()) {
            call.stream.sendDtmf(digit, DTMF_MILLIS);
            return;
        }
        if (call.state() != CallState.CONNECTED) {
            return;
        }
        try {
            Request info = session.messages().inDialog(call.dialog, Request.INFO, null, null);
            session.messages().setBody(info, DtmfBodies.DTMF_RELAY, DtmfBodies.relayBody(digit, DTMF_MILLIS));
            call.dialog.sendRequest(session.ua().endpoint().provider().getNewClientTransaction(info));
        } catch (Exception e) {
            LOG.warn("cannot send INFO DTMF: {}", e.getMessage());
        }
    }

    void onInfo(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        String type = SipMessages.contentType(request);
        char digit = DtmfBodies.parse(type, SipMessages.bodyText(request));
        if (digit == 0 && (DtmfBodies.DTMF_RELAY.equals(type) || DtmfBodies.DTMF.equals(type))) {
            session.respond(request, st, 400, "No DTMF digit in body");
            return;
        }
        if (digit == 0) {
            // RFC 6086 §4.2.2 would name an Info-Package; legacy INFO without one we do not understand.
            session.respond(request, st, 415, "Unsupported Media Type");
            return;
        }
        session.respond(request, st, 200, null);
        session.ua().events().post(l -> l.onDtmf(call, digit));
    }
}
