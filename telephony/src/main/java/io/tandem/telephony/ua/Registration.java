package io.tandem.telephony.ua;

import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one account registered (RFC 3261 §10) on the first registrar of an ordered list that
 * answers, with digest authentication (RFC 7616 / 8760), refresh before expiry, failover on
 * timeout, 503 or transport error, and a return to the preferred registrar once it answers
 * OPTIONS probes again ({@link RegistrarProbe}). Runs only on the user agent's signalling thread.
 */
final class Registration {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    /** Refresh at this share of the granted expiry: early enough for one retry before it lapses. */
    private static final double REFRESH_AT = 0.6;
    private static final int MAX_STALE_RETRIES = 3;

    private final SipEndpoint endpoint;
    private final UserAgentConfig config;
    private final ScheduledExecutorService signalling;
    private final EventQueue events;
    private final DigestClient digest = new DigestClient();

    private int index;
    private String callId = SipMessages.newToken() + "@tandem";
    private final String fromTag = SipMessages.newToken();
    private long cseq;
    private ClientTransaction pending;
    private int pendingExpires;
    private boolean pendingAuthorized;
    private int staleRetries;
    private DigestChallenge lastChallenge;
    /** Whether {@link #lastChallenge} came in a 407 (answer with Proxy-Authorization, RFC 3261 §22.3). */
    private boolean lastChallengeFromProxy;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> refresh;
    private final RegistrarProbe probe;
    private RegistrationState state = RegistrationState.UNREGISTERED;
    private CountDownLatch unregistered;
    private int cycleFailures;
    private String reportedRegistrar;

    Registration(SipEndpoint endpoint, UserAgentConfig config, ScheduledExecutorService signalling,
                 EventQueue events) {
        this.endpoint = endpoint;
        this.config = config;
        this.signalling = signalling;
        this.events = events;
        this.probe = new RegistrarProbe(endpoint, config, signalling, this::moveBackToPreferred);
    }

    RegistrationState state() {
        return state;
    }

    String currentRegistrar() {
        return config.registrars().isEmpty() ? null : config.registrars().get(index);
    }

    void start() {
        if (config.registrars().isEmpty()) {
            return;
        }
        sendRegister((int) config.registerExpiry().toSeconds(), false);
    }

    /** Sends REGISTER with Expires 0 and counts the latch down on its final answer (or timeout). */
    void unregister(CountDownLatch done) {
        cancel(refresh);
        probe.stop();
        if (state != RegistrationState.REGISTERED) {
            done.countDown();
            return;
        }
        unregistered = done;
        sendRegister(0, lastChallenge != null);
    }

    private void sendRegister(int expires, boolean withCredentials) {
        String registrar = currentRegistrar();
        try {
            SipMessages m = endpoint.messages();
            URI requestUri = m.addresses().createURI(registrar);
            String transport = transportOf(requestUri);
            Address aor = addressOfRecord();
            Request register = m.outOfDialog(Request.REGISTER, requestUri, aor, fromTag, aor, callId, ++cseq,
                    transport, config.user());
            ContactHeader contact = (ContactHeader) register.getHeader(ContactHeader.NAME);
            contact.setExpires(expires);
            addPushParameters(contact);
            register.setHeader(m.headers().createExpiresHeader(expires));
            if (withCredentials && lastChallenge != null && config.password() != null) {
                addCredentials(register, lastChallenge, lastChallengeFromProxy);
            }
            ClientTransaction tx = endpoint.provider().getNewClientTransaction(register);
            pending = tx;
            pendingExpires = expires;
            pendingAuthorized = withCredentials;
            if (expires > 0 && state != RegistrationState.REGISTERED) {
                setState(RegistrationState.REGISTERING, 0);
            }
            armTimeout(tx);
            tx.sendRequest();
        } catch (Exception e) {
            LOG.warn("cannot send REGISTER to {}: {}", registrar, e.getMessage());
            failover(0);
        }
    }

    /**
     * RFC 8599 §4.1.1: the push parameters are Contact URI parameters; RFC 5626 §4.1: the instance id is a Contact
     * header parameter, a quoted URN in angle brackets. Sent on every REGISTER, the removal included, so the registrar
     * knows which device's binding it is.
     */
    private void addPushParameters(ContactHeader contact) throws ParseException {
        PushParameters push = config.push();
        if (push == null) {
            return;
        }
        SipURI uri = (SipURI) contact.getAddress().getURI();
        uri.setParameter("pn-provider", push.provider());
        uri.setParameter("pn-prid", push.prid());
        if (!push.param().isEmpty()) {
            uri.setParameter("pn-param", push.param());
        }
        if (!push.instance().isEmpty()) {
            contact.setParameter("+sip.instance", "\"<" + push.instance() + ">\"");
        }
    }

    Address addressOfRecord() throws ParseException {
        SipMessages m = endpoint.messages();
        SipURI aorUri = m.addresses().createSipURI(config.user(), config.domain());
        Address aor = m.addresses().createAddress(aorUri);
        if (!config.displayName().isEmpty()) {
            aor.setDisplayName(config.displayName());
        }
        return aor;
    }

    static String transportOf(URI uri) {
        if (uri instanceof SipURI sip && sip.getTransportParam() != null) {
            return sip.getTransportParam().toLowerCase(java.util.Locale.ROOT);
        }
        return "udp";
    }

    private void addCredentials(Request request, DigestChallenge challenge, boolean proxy) throws Exception {
        String value = digest.authorization(challenge, request.getMethod(), request.getRequestURI().toString(),
                config.user(), config.password());
        Header header = endpoint.messages().headers().createHeader(
                proxy ? "Proxy-Authorization" : "Authorization", value);
        request.setHeader(header);
    }

    private void armTimeout(ClientTransaction tx) {
        cancel(timeout);
        timeout = signalling.schedule(() -> {
            if (pending == tx) {
                LOG.info("registrar {} did not answer within {}", currentRegistrar(), config.requestTimeout());
                pending = null;
                terminate(tx);
                if (pendingExpires == 0) {
                    finishUnregister();
                } else {
                    failover(408);
                }
            }
        }, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A response to REGISTER or to an OPTIONS probe. */
    void onResponse(ClientTransaction tx, Response response) {
        if (probe.owns(tx)) {
            probe.onResponse(response);
            return;
        }
        if (tx == null || tx != pending) {
            return;
        }
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        pending = null;
        cancel(timeout);
        if (pendingExpires == 0) {
            if (status == 401 || status == 407) {
                if (!pendingAuthorized && challenge(response, status) != null) {
                    sendRegister(0, true);
                    return;
                }
            }
            finishUnregister();
            return;
        }
        if (status >= 200 && status < 300) {
            onRegistered(response);
        } else if (status == 401 || status == 407) {
            DigestChallenge challenge = challenge(response, status);
            if (challenge == null || config.password() == null) {
                fail(status);
            } else if (pendingAuthorized && !challenge.stale()) {
                // RFC 7616 §3.3: a fresh challenge to credentials we just sent means they were wrong.
                fail(status);
            } else if (challenge.stale() && ++staleRetries > MAX_STALE_RETRIES) {
                fail(status);
            } else {
                sendRegister(pendingExpires, true);
            }
        } else if (status == 503 || status == 408 || status == 500 || status == 504) {
            failover(status);
        } else if (status == 423) {
            retryWithMinExpires(response);
        } else {
            fail(status);
        }
    }

    private DigestChallenge challenge(Response response, int status) {
        String name = status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
        ListIterator<?> it = response.getHeaders(name);
        while (it.hasNext()) {
            try {
                DigestChallenge c = DigestChallenge.parse(headerValue((Header) it.next()));
                lastChallenge = c;
                lastChallengeFromProxy = status == 407;
                return c;
            } catch (IllegalArgumentException e) {
                LOG.debug("ignoring challenge: {}", e.getMessage());
            }
        }
        return null;
    }

    /** The value part of a header as the RI encodes it ({@code Name: value\r\n}). */
    static String headerValue(Header header) {
        String encoded = header.toString();
        int colon = encoded.indexOf(':');
        return encoded.substring(colon + 1).trim();
    }

    private void retryWithMinExpires(Response response) {
        Header min = response.getHeader("Min-Expires");
        try {
            int seconds = Integer.parseInt(headerValue(min));
            sendRegister(seconds, lastChallenge != null);
        } catch (RuntimeException e) {
            fail(423);
        }
    }

    private void onRegistered(Response response) {
        staleRetries = 0;
        cycleFailures = 0;
        int granted = grantedExpiry(response);
        setState(RegistrationState.REGISTERED, response.getStatusCode());
        cancel(refresh);
        long refreshMillis = Math.max(1000, (long) (granted * 1000L * REFRESH_AT));
        refresh = signalling.schedule(() -> sendRegister((int) config.registerExpiry().toSeconds(),
                lastChallenge != null), refreshMillis, TimeUnit.MILLISECONDS);
        if (index > 0) {
            probe.start();
        } else {
            probe.stop();
        }
    }

    /** RFC 3261 §10.2.4: our Contact's expires parameter in the 200, else Expires, else what we asked. */
    private int grantedExpiry(Response response) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        ContactHeader ours = endpoint.messages().contact(config.user(), null);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof SipURI uri && ours.getAddress().getURI() instanceof SipURI mine
                    && uri.getHost().equals(mine.getHost()) && uri.getPort() == mine.getPort()
                    && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader expires = response.getExpires();
        if (expires != null && expires.getExpires() > 0) {
            return expires.getExpires();
        }
        return pendingExpires;
    }

    private void fail(int status) {
        cancel(refresh);
        setState(RegistrationState.FAILED, status);
    }

    /** Moves to the next registrar; after a full round without answer, waits a probe interval. */
    private void failover(int status) {
        cancel(refresh);
        probe.stop();
        List<String> registrars = config.registrars();
        int previous = index;
        index = (index + 1) % registrars.size();
        callId = SipMessages.newToken() + "@tandem";
        lastChallenge = null;
        staleRetries = 0;
        LOG.info("registrar {} failed ({}), trying {}", registrars.get(previous), status, registrars.get(index));
        setState(RegistrationState.REGISTERING, status);
        if (++cycleFailures >= registrars.size()) {
            cycleFailures = 0;
            signalling.schedule(() -> sendRegister((int) config.registerExpiry().toSeconds(), false),
                    config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            sendRegister((int) config.registerExpiry().toSeconds(), false);
        }
    }

    /** The preferred registrar answered a probe: leave the failover one and register there again. */
    private void moveBackToPreferred(int status) {
        if (index == 0 || state != RegistrationState.REGISTERED) {
            return;
        }
        LOG.info("preferred registrar {} answers again ({}), moving back", config.registrars().get(0), status);
        unregisterQuietlyFromCurrent();
        index = 0;
        callId = SipMessages.newToken() + "@tandem";
        lastChallenge = null;
        cycleFailures = 0;
        setState(RegistrationState.REGISTERING, 0);
        sendRegister((int) config.registerExpiry().toSeconds(), false);
    }

    /** Best effort: drop the binding on the failover registrar we leave (no answer awaited). */
    private void unregisterQuietlyFromCurrent() {
        try {
            SipMessages m = endpoint.messages();
            URI requestUri = m.addresses().createURI(currentRegistrar());
            Address aor = addressOfRecord();
            Request register = m.outOfDialog(Request.REGISTER, requestUri, aor, fromTag, aor, callId, ++cseq,
                    transportOf(requestUri), config.user());
            ContactHeader contact = (ContactHeader) register.getHeader(ContactHeader.NAME);
            contact.setExpires(0);
            addPushParameters(contact);
            register.setHeader(m.headers().createExpiresHeader(0));
            if (lastChallenge != null && config.password() != null) {
                addCredentials(register, lastChallenge, lastChallengeFromProxy);
            }
            endpoint.provider().getNewClientTransaction(register).sendRequest();
        } catch (Exception e) {
            LOG.debug("cannot unregister from {}: {}", currentRegistrar(), e.getMessage());
        }
    }

    /** The transaction layer gave up (Timer F) or the transport failed. */
    void onTimeoutOrTransportError(ClientTransaction tx) {
        if (probe.owns(tx)) {
            probe.onNoAnswer();
            return;
        }
        if (tx == null || tx != pending) {
            return;
        }
        pending = null;
        cancel(timeout);
        if (pendingExpires == 0) {
            finishUnregister();
        } else {
            failover(503);
        }
    }

    /** A transport error we cannot tie to a transaction (the RI reports host and port only). */
    void onTransportError(String host, int port) {
        if (pending == null) {
            return;
        }
        try {
            URI uri = endpoint.messages().addresses().createURI(currentRegistrar());
            if (uri instanceof SipURI sip && sip.getHost().equals(host) && (sip.getPort() == port)) {
                onTimeoutOrTransportError(pending);
            }
        } catch (ParseException e) {
            LOG.debug("bad registrar URI", e);
        }
    }

    private void finishUnregister() {
        setState(RegistrationState.UNREGISTERED, 0);
        if (unregistered != null) {
            unregistered.countDown();
            unregistered = null;
        }
    }

    private void setState(RegistrationState newState, int status) {
        String registrar = currentRegistrar();
        boolean changed = newState != state || !java.util.Objects.equals(registrar, reportedRegistrar);
        state = newState;
        reportedRegistrar = registrar;
        if (changed) {
            events.post(l -> l.onRegistration(newState, registrar, status));
        }
    }

    void close() {
        cancel(refresh);
        probe.stop();
        cancel(timeout);
    }

    /**
     * Stops the RI retransmitting a request we gave up on: a registrar that wakes up later
     * must not answer a stale REGISTER as if it were current.
     */
    static void terminate(ClientTransaction tx) {
        try {
            tx.terminate();
        } catch (Exception e) {
            LOG.debug("cannot terminate transaction: {}", e.getMessage());
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
