package io.tandem.telephony.ua;

import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 4028 session timer of one call as a user agent: when the 2xx to our INVITE names us the refresher
 * ({@code refresher=uac}), the session is refreshed by a re-INVITE at half the interval (§7.4), until the call ends
 * or {@link Call#stopSessionRefresh()} (a phone that vanishes); an UPDATE from the far end (a refresh by it) is
 * answered 200 and counted. Signalling thread only.
 */
final class SessionRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRefresh.class);
    static final String SESSION_EXPIRES = "Session-Expires";

    private final Call call;
    private final InviteSession session;
    private volatile boolean stopped;
    private volatile int received;

    SessionRefresh(Call call, InviteSession session) {
        this.call = call;
        this.session = session;
    }

    /** The 2xx to our INVITE: refresh at half its Session-Expires when it makes us the refresher. */
    void onAnswered(Response answer) {
        Header header = answer.getHeader(SESSION_EXPIRES);
        if (header == null) {
            return;
        }
        String text = header.toString().strip();
        String value = text.substring(text.indexOf(':') + 1).strip();
        String[] parts = value.split(";");
        long seconds;
        try {
            seconds = Long.parseLong(parts[0].strip());
        } catch (NumberFormatException e) {
            LOG.warn("unreadable Session-Expires in the answer: {}", value);
            return;
        }
        boolean ours = false;
        for (int i = 1; i < parts.length; i++) {
            ours |= parts[i].strip().equalsIgnoreCase("refresher=uac");
        }
        if (ours && seconds > 0) {
            long halfMillis = seconds * 500;
            call.ua.schedule(call, () -> refresh(halfMillis), halfMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void refresh(long halfMillis) {
        if (stopped || call.state() != CallState.CONNECTED) {
            return;
        }
        session.reinvite.send(call.isOnHold());
        call.ua.schedule(call, () -> refresh(halfMillis), halfMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
    }

    /** An UPDATE from the far end: its refresh of the session (RFC 4028 §7.4, RFC 3311); 200 without a body. */
    void onUpdate(RequestEvent event, ServerTransaction st) {
        received++;
        session.respond(event.getRequest(), st, 200, null);
    }

    int received() {
        return received;
    }
}
