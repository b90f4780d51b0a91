package io.tandem.telephony.ua;

import io.tandem.telephony.sip.SipMessages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.header.EventHeader;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Blind transfer by REFER (RFC 3515) for one call, both roles: as transferor we send REFER,
 * follow the implicit subscription's NOTIFY sipfrag and hang up on success; as transferee we
 * accept REFER with 202, call the Refer-To target and report its progress by NOTIFY, ending
 * the old call once the new one is answered. Signalling thread only.
 */
final class CallTransfer {
    /** How long the transferee waits for the transferor's BYE after reporting success. */
    static final long TRANSFEROR_BYE_GRACE_SECONDS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(CallTransfer.class);
    static final String SIPFRAG = "message/sipfrag";

    private final Call call;
    private ClientTransaction referTx;
    /** Transferee side: the call we were transferred from, set on the replacement call. */
    Call origin;
    private boolean finalNotifySent;

    CallTransfer(Call call) {
        this.call = call;
    }

    // ------------------------------------------------------------ transferor

    void transfer(String target) {
        if (call.state() != CallState.CONNECTED) {
            return;
        }
        refer(target);
    }

    /**
     * Attended transfer (RFC 5589 §7): refers the far end to the party of {@code consultation}, whose dialog the new
     * call replaces (RFC 3891): {@code Refer-To: <target?Replaces=call-id;to-tag=..;from-tag=..>}, the tags as the
     * target sees them (its own tag is the to-tag), escaped as URI header values (RFC 3261 §19.1.1).
     */
    void transfer(Call consultation) {
        if (call.state() != CallState.CONNECTED || consultation.dialog == null) {
            return;
        }
        Dialog dialog = consultation.dialog;
        String replaces = dialog.getCallId().getCallId() + ";to-tag=" + dialog.getRemoteTag() + ";from-tag="
                + dialog.getLocalTag();
        String target = consultation.remoteUri;
        int params = target.indexOf(';');
        String base = params < 0 ? target : target.substring(0, params);
        refer(base + "?Replaces=" + URLEncoder.encode(replaces, StandardCharsets.UTF_8));
    }

    private void refer(String target) {
        SipMessages m = call.ua.endpoint().messages();
        try {
            // name-addr form: a URI with headers (?Replaces=) must be in angle brackets (RFC 3261 §20.1)
            Address referTo = m.addresses().createAddress(target.contains("?") ? "<" + target + ">" : target);
            Request refer = m.inDialog(call.dialog, Request.REFER, call.ua.config().user(), null);
            refer.setHeader(m.headers().createReferToHeader(referTo));
            // RFC 3892: who asked for the transfer.
            refer.setHeader(m.headers().createHeader("Referred-By", call.ua.addressOfRecord().toString()));
            ClientTransaction tx = call.ua.endpoint().provider().getNewClientTransaction(refer);
            referTx = tx;
            call.dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.warn("cannot send REFER: {}", e.getMessage());
            call.ua.events().post(l -> l.onTransferProgress(call, 500));
        }
    }

    void onReferResponse(ResponseEvent event) {
        if (event.getClientTransaction() != referTx) {
            return;
        }
        int status = event.getResponse().getStatusCode();
        if (status >= 200) {
            referTx = null;
        }
        if (status >= 300) {
            call.ua.events().post(l -> l.onTransferProgress(call, status));
        }
    }

    /** NOTIFY of the refer subscription (RFC 3515 §2.4.4): its sipfrag says how the new call goes. */
    void onNotify(RequestEvent event, ServerTransaction st) {
        Request notify = event.getRequest();
        respond(notify, st, 200);
        EventHeader eventHeader = (EventHeader) notify.getHeader(EventHeader.NAME);
        if (eventHeader == null || !"refer".equalsIgnoreCase(eventHeader.getEventType())) {
            return;
        }
        int status = sipfragStatus(SipMessages.bodyText(notify));
        if (status <= 0) {
            return;
        }
        call.ua.events().post(l -> l.onTransferProgress(call, status));
        if (status >= 200 && status < 300 && call.state() == CallState.CONNECTED) {
            // The transferee reached the target: our part is over (RFC 5589 §6.1).
            call.session.sendBye();
            call.end(200);
        }
    }

    /** The status code of a sipfrag status line ({@code SIP/2.0 180 Ringing}), or -1. */
    static int sipfragStatus(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("SIP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------ transferee

    void onRefer(RequestEvent event, ServerTransaction st) {
        Request refer = event.getRequest();
        ReferToHeader referTo = (ReferToHeader) refer.getHeader(ReferToHeader.NAME);
        if (referTo == null) {
            respond(refer, st, 400, "Missing Refer-To");
            return;
        }
        if (call.state() != CallState.CONNECTED) {
            respond(refer, st, 603, "Declined");
            return;
        }
        respond(refer, st, 202);
        sendNotify(100, "Trying", false);
        Call replacement = call.ua.placeCall(referTo.getAddress().getURI(), referTo.getAddress(), call);
        call.ua.events().post(l -> l.onTransferred(call, replacement));
    }

    /** Progress of the replacement call, reported to the transferor by NOTIFY. */
    void onReplacementState(Call replacement, CallState state) {
        if (finalNotifySent) {
            return;
        }
        switch (state) {
            case RINGING -> sendNotify(180, "Ringing", false);
            case CONNECTED -> {
                sendNotify(200, "OK", true);
                // RFC 5589 §6.1: the transferor ends this dialog once the NOTIFY tells it the
                // transfer worked. Sending our own BYE right behind the NOTIFY would race it: the
                // far end may process the BYE first and answer the NOTIFY 481, so the transferor
                // never learns the outcome. Hang up ourselves only if the transferor does not.
                call.ua.schedule(call, this::endIfTransferorStayed, TRANSFEROR_BYE_GRACE_SECONDS, TimeUnit.SECONDS);
            }
            case ENDED -> {
                int status = replacement.endStatus() >= 300 ? replacement.endStatus() : 487;
                sendNotify(status, "Transfer failed", true);
            }
            default -> {
            }
        }
    }

    private void endIfTransferorStayed() {
        if (call.state() == CallState.CONNECTED) {
            LOG.info("transferor kept the dialog {} s after a successful transfer; ending it", TRANSFEROR_BYE_GRACE_SECONDS);
            call.session.sendBye();
            call.end(200);
        }
    }

    private void sendNotify(int status, String reason, boolean terminated) {
        if (call.state() == CallState.ENDED || call.dialog == null) {
            return;
        }
        finalNotifySent = terminated;
        SipMessages m = call.ua.endpoint().messages();
        try {
            Request notify = m.inDialog(call.dialog, Request.NOTIFY, call.ua.config().user(), null);
            notify.setHeader(m.headers().createEventHeader("refer"));
            SubscriptionStateHeader subscription = m.headers().createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                subscription.setReasonCode(SubscriptionStateHeader.NO_RESOURCE);
            } else {
                subscription.setExpires(60);
            }
            notify.setHeader(subscription);
            m.setBody(notify, SIPFRAG, "SIP/2.0 " + status + " " + reason + "\r\n");
            call.dialog.sendRequest(call.ua.endpoint().provider().getNewClientTransaction(notify));
        } catch (Exception e) {
            LOG.warn("cannot send NOTIFY {}: {}", status, e.getMessage());
        }
    }

    private void respond(Request request, ServerTransaction st, int status) {
        respond(request, st, status, null);
    }

    private void respond(Request request, ServerTransaction st, int status, String reason) {
        Response response = call.ua.endpoint().messages().responseTo(request, status, reason);
        try {
            st.sendResponse(response);
        } catch (Exception e) {
            LOG.debug("cannot send {}: {}", status, e.getMessage());
        }
    }
}
