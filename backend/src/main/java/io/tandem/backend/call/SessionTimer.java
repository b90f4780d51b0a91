package io.tandem.backend.call;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
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
 * One timer for every caller's leg the node answers: a direct call's ({@link Bridge}) and a queue call's, each
 * through its {@link Session}. Guarded by the session's lock.
 */
public final class SessionTimer {

    private static final Logger log = LoggerFactory.getLogger(SessionTimer.class);
    static final String SESSION_EXPIRES = "Session-Expires";
    public static final String MIN_SE = "Min-SE";
    private static final String TIMER = "timer";

    /** What an INVITE's session timer request comes to. */
    public sealed interface Terms permits TooSmall, Untimed, Granted {
    }

    /** RFC 4028 §9: Session-Expires below our Min-SE from a UAC that supports timers: 422 with {@code minSe}. */
    public record TooSmall(long minSe) implements Terms {
    }

    /** No session timer on this leg: the caller neither asked for one nor supports them. */
    public record Untimed() implements Terms {
    }

    /**
     * A session interval of {@code interval} seconds; {@code nodeRefreshes} when the refresher is the UAS (us);
     * {@code supported}: the caller supports timers, so our 2xx carries {@code Require: timer} (§9).
     */
    public record Granted(long interval, boolean nodeRefreshes, boolean supported) implements Terms {
    }

    /** The dialog a timer keeps alive, as its owner (a direct call's bridge, a queue call) holds it. */
    public interface Session {
        /** The lock that guards the dialog and this timer (the timer's own tasks take it). */
        Object lock();

        /** Sends our refresh, an UPDATE without a body, with {@code headers}; null when it could not be sent. */
        ClientTransaction update(List<Header> headers);

        /** The session expired, or our refresh failed: the owner ends the call (§10). */
        void expired();

        /** The call and party, for the logs. */
        String describe();
    }

    private final Session session;
    private final ScheduledExecutorService timers;
    private final HeaderFactory headerFactory;
    private final Granted terms;
    private ScheduledFuture<?> timer;
    private ClientTransaction refreshTx;
    private boolean stopped;

    /** The timer of a session its owner ends and refreshes through {@code session}, run on {@code timers}. */
    public SessionTimer(Session session, ScheduledExecutorService timers, HeaderFactory headers, Granted terms) {
        this.session = session;
        this.timers = timers;
        this.headerFactory = headers;
        this.terms = terms;
    }

    /** The timer of a direct call's caller leg. */
    SessionTimer(Bridge bridge, Leg leg, Granted terms) {
        this(new LegSession(bridge, leg), bridge.calls.timers,
                bridge.calls.signalling.endpoint().messages().headers(), terms);
    }

    /** A direct call's leg as a {@link Session}: refreshed in its dialog, ended by its bridge. */
    private record LegSession(Bridge bridge, Leg leg) implements Session {
        @Override
        public Object lock() {
            return bridge;
        }

        @Override
        public ClientTransaction update(List<Header> headers) {
            return bridge.calls.signalling.inDialog(leg, Request.UPDATE, null, null, headers);
        }

        @Override
        public void expired() {
            bridge.sessionExpired(leg);
        }

        @Override
        public String describe() {
            return "call " + bridge.id() + " (" + leg.party + ")";
        }
    }

    /**
     * RFC 4028 §9 for an initial INVITE: {@code defaultInterval} is granted to a caller that supports timers and asks
     * for none; a Session-Expires below {@code minSe} (or the request's own Min-SE) gets 422 from a caller that
     * supports timers, and is raised to it for one that does not (a proxy asked for it, §8.1).
     */
    public static Terms negotiate(Request invite, long defaultInterval, long minSe) {
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
    public List<Header> headers(HeaderFactory headers) {
        List<Header> list = new ArrayList<>(2);
        try {
            list.add(headers.createHeader(SESSION_EXPIRES,
                    terms.interval() + ";refresher=" + (terms.nodeRefreshes() ? "uas" : "uac")));
            if (terms.supported()) {
                list.add(headers.createRequireHeader(TIMER));
            }
        } catch (ParseException e) {
            log.warn("{}: cannot build the session timer headers: {}", session.describe(), e.getMessage());
        }
        return list;
    }

    /** The same terms for {@code moved}, {@code leg}'s dialog moved into {@code other} (not started yet). */
    SessionTimer movedTo(Bridge other, Leg moved) {
        return new SessionTimer(other, moved, terms);
    }

    /** §7.4: our refresh carries the interval, ourselves as the refresher, and says we support timers. */
    private List<Header> refreshHeaders() {
        try {
            return List.of(headerFactory.createHeader(SESSION_EXPIRES, terms.interval() + ";refresher=uas"),
                    headerFactory.createSupportedHeader(TIMER));
        } catch (ParseException e) {
            log.warn("{}: cannot build the session refresh headers: {}", session.describe(), e.getMessage());
            return List.of();
        }
    }

    /** The call is answered: the session interval starts. */
    public void start() {
        arm();
    }

    /** A refresh from the caller (re-INVITE or UPDATE, §10): the interval starts again. */
    public void refreshed() {
        if (!terms.nodeRefreshes()) {
            arm();
        }
    }

    public boolean owns(ClientTransaction tx) {
        return tx != null && tx == refreshTx;
    }

    /** The answer to our refreshing UPDATE: 2xx starts the interval again, anything else ends the call (§10). */
    public void onRefreshAnswer(int status) {
        if (status < Response.OK) {
            return;
        }
        refreshTx = null;
        if (status < Response.MULTIPLE_CHOICES) {
            arm();
        } else {
            log.info("{}: the session refresh was refused ({}); ending the call", session.describe(), status);
            session.expired();
        }
    }

    /** Our refreshing UPDATE got no answer at all. */
    public void onRefreshTimeout() {
        refreshTx = null;
        session.expired();
    }

    public void stop() {
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
            timer = timers.schedule(this::refresh, interval / 2, TimeUnit.MILLISECONDS);
        } else {
            // §10: the BYE goes before the session would expire, by min(32 s, a third of the interval).
            long before = Math.min(32_000, interval / 3);
            timer = timers.schedule(this::expire, interval - before, TimeUnit.MILLISECONDS);
        }
    }

    private void expire() {
        synchronized (session.lock()) {
            if (stopped) {
                return;
            }
            log.info("{}: no session refresh within {} s; ending the call (RFC 4028 §10)", session.describe(),
                    terms.interval());
            session.expired();
        }
    }

    /** §7.4 as the refresher: an UPDATE without a body (no new offer) keeps the session alive. */
    private void refresh() {
        synchronized (session.lock()) {
            if (stopped) {
                return;
            }
            refreshTx = session.update(refreshHeaders());
            if (refreshTx == null) {
                session.expired();
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
