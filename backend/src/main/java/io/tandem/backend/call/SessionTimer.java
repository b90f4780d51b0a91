package io.tandem.backend.call;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.header.AllowHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.OptionTag;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 4028 session timer of a caller's leg (the node is its UAS): negotiated on the INVITE (§9: 422 with our
 * Min-SE below it, the interval and the refresher in every 2xx to an INVITE or UPDATE of the leg), then either the
 * caller refreshes (re-INVITE or UPDATE) and a refresh that does not come by the interval minus min(32 s, a third)
 * ends the call (§10), or the node refreshes itself by UPDATE at half the interval and an UPDATE that fails ends it.
 * Guarded by the bridge's monitor.
 */
final class SessionTimer {

    private static final Logger log = LoggerFactory.getLogger(SessionTimer.class);
    static final String SESSION_EXPIRES = "Session-Expires";
    static final String MIN_SE = "Min-SE";
    private static final String TIMER = "timer";

    /** What an INVITE's session timer request comes to. */
    sealed interface Terms permits TooSmall, Untimed, Granted {
    }

    /** RFC 4028 §9: Session-Expires below our Min-SE from a UAC that supports timers: 422 with {@code minSe}. */
    record TooSmall(long minSe) implements Terms {
    }

    /** No session timer on this leg: the caller neither asked for one nor supports them. */
    record Untimed() implements Terms {
    }

    /**
     * A session interval of {@code interval} seconds; {@code nodeRefreshes} when the refresher is the UAS (us);
     * {@code supported}: the caller supports timers, so our 2xx carries {@code Require: timer} (§9).
     */
    record Granted(long interval, boolean nodeRefreshes, boolean supported) implements Terms {
    }

    private final Bridge bridge;
    private final Leg leg;
    private final Granted terms;
    private ScheduledFuture<?> timer;
    private ClientTransaction refreshTx;
    private boolean stopped;

    SessionTimer(Bridge bridge, Leg leg, Granted terms) {
        this.bridge = bridge;
        this.leg = leg;
        this.terms = terms;
    }

    /**
     * RFC 4028 §9 for an initial INVITE: {@code defaultInterval} is granted to a caller that supports timers and asks
     * for none; a Session-Expires below {@code minSe} (or the request's own Min-SE) gets 422 from a caller that
     * supports timers, and is raised to it for one that does not (a proxy asked for it, §8.1).
     */
    static Terms negotiate(Request invite, long defaultInterval, long minSe) {
        boolean supported = hasOptionTag(invite, SupportedHeader.NAME) || hasOptionTag(invite, RequireHeader.NAME);
        long min = Math.max(minSe, value(invite, MIN_SE).map(SessionValue::seconds).orElse(0L));
        Optional<SessionValue> asked = value(invite, SESSION_EXPIRES);
        if (asked.isEmpty()) {
            return supported ? new Granted(Math.max(defaultInterval, min), false, true) : new Untimed();
        }
        if (!supported && !allowsUpdate(invite)) {
            return new Untimed(); // we would have to refresh, by an UPDATE this caller does not take
        }
        long interval = asked.get().seconds();
        if (interval < min) {
            if (supported) {
                return new TooSmall(min);
            }
            interval = min;
        }
        // §9: the UAC's choice of refresher stands; a UAC that does not support timers cannot refresh (uas).
        boolean nodeRefreshes = !supported || "uas".equals(asked.get().refresher());
        return new Granted(interval, nodeRefreshes, supported);
    }

    /** The headers of our 2xx to an INVITE or UPDATE of the leg (§9): the interval, the refresher, Require. */
    List<Header> headers(HeaderFactory headers) {
        List<Header> list = new ArrayList<>(2);
        try {
            list.add(headers.createHeader(SESSION_EXPIRES,
                    terms.interval() + ";refresher=" + (terms.nodeRefreshes() ? "uas" : "uac")));
            if (terms.supported()) {
                list.add(headers.createRequireHeader(TIMER));
            }
        } catch (ParseException e) {
            log.warn("call {}: cannot build the session timer headers: {}", bridge.id(), e.getMessage());
        }
        return list;
    }

    /** The same terms for {@code moved}, {@code leg}'s dialog moved into {@code other} (not started yet). */
    SessionTimer movedTo(Bridge other, Leg moved) {
        return new SessionTimer(other, moved, terms);
    }

    /** §7.4: our refresh carries the interval, ourselves as the refresher, and says we support timers. */
    private List<Header> refreshHeaders() {
        HeaderFactory headers = bridge.calls.signalling.endpoint().messages().headers();
        try {
            return List.of(headers.createHeader(SESSION_EXPIRES, terms.interval() + ";refresher=uas"),
                    headers.createSupportedHeader(TIMER));
        } catch (ParseException e) {
            log.warn("call {}: cannot build the session refresh headers: {}", bridge.id(), e.getMessage());
            return List.of();
        }
    }

    /** The call is answered: the session interval starts. */
    void start() {
        arm();
    }

    /** A refresh from the caller (re-INVITE or UPDATE, §10): the interval starts again. */
    void refreshed() {
        if (!terms.nodeRefreshes()) {
            arm();
        }
    }

    boolean owns(ClientTransaction tx) {
        return tx != null && tx == refreshTx;
    }

    /** The answer to our refreshing UPDATE: 2xx starts the interval again, anything else ends the call (§10). */
    void onRefreshAnswer(int status) {
        if (status < Response.OK) {
            return;
        }
        refreshTx = null;
        if (status < Response.MULTIPLE_CHOICES) {
            arm();
        } else {
            log.info("call {}: {} refused the session refresh ({}); ending the call", bridge.id(), leg.party, status);
            bridge.sessionExpired(leg);
        }
    }

    /** Our refreshing UPDATE got no answer at all. */
    void onRefreshTimeout() {
        refreshTx = null;
        bridge.sessionExpired(leg);
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void arm() {
        if (stopped) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long interval = terms.interval() * 1000;
        if (terms.nodeRefreshes()) {
            timer = bridge.calls.timers.schedule(this::refresh, interval / 2, TimeUnit.MILLISECONDS);
        } else {
            // §10: the BYE goes before the session would expire, by min(32 s, a third of the interval).
            long before = Math.min(32_000, interval / 3);
            timer = bridge.calls.timers.schedule(this::expire, interval - before, TimeUnit.MILLISECONDS);
        }
    }

    private void expire() {
        synchronized (bridge) {
            if (stopped) {
                return;
            }
            log.info("call {}: no session refresh from {} within {} s; ending the call (RFC 4028 §10)", bridge.id(),
                    leg.party, terms.interval());
            bridge.sessionExpired(leg);
        }
    }

    /** §7.4 as the refresher: an UPDATE without a body (no new offer) keeps the session alive. */
    private void refresh() {
        synchronized (bridge) {
            if (stopped) {
                return;
            }
            refreshTx = bridge.calls.signalling.inDialog(leg, Request.UPDATE, null, null, refreshHeaders());
            if (refreshTx == null) {
                bridge.sessionExpired(leg);
            }
        }
    }

    /** The caller allows UPDATE (RFC 3311), which our refreshes use. */
    static boolean allowsUpdate(Request invite) {
        ListIterator<?> allows = invite.getHeaders(AllowHeader.NAME);
        while (allows != null && allows.hasNext()) {
            if (Request.UPDATE.equalsIgnoreCase(((AllowHeader) allows.next()).getMethod())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasOptionTag(Request request, String name) {
        ListIterator<?> tags = request.getHeaders(name);
        while (tags != null && tags.hasNext()) {
            if (TIMER.equalsIgnoreCase(((OptionTag) tags.next()).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    /** {@code delta-seconds *(;param)} of a Session-Expires or Min-SE header (RFC 4028 §4, §5). */
    record SessionValue(long seconds, String refresher) {
    }

    static Optional<SessionValue> value(Request request, String name) {
        Header header = request.getHeader(name);
        if (header == null && SESSION_EXPIRES.equals(name)) {
            header = request.getHeader("x"); // compact form (RFC 4028 §4)
        }
        if (header == null) {
            return Optional.empty();
        }
        String text = header.toString().strip();
        int colon = text.indexOf(':');
        String[] parts = (colon < 0 ? text : text.substring(colon + 1)).split(";");
        try {
            long seconds = Long.parseLong(parts[0].strip());
            String refresher = null;
            for (int i = 1; i < parts.length; i++) {
                String[] param = parts[i].strip().split("=", 2);
                if (param.length == 2 && "refresher".equalsIgnoreCase(param[0].strip())) {
                    refresher = param[1].strip().toLowerCase(Locale.ROOT);
                }
            }
            return seconds < 0 ? Optional.empty() : Optional.of(new SessionValue(seconds, refresher));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
