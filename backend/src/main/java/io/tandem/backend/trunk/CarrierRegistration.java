package io.tandem.backend.trunk;

import io.tandem.backend.node.sip.NodeSignalling;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.sip.auth.DigestChallenge;
import java.time.Duration;
import java.time.Instant;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's registration to one carrier (RFC 3261 §10.2): REGISTER with our Contact, answered challenges
 * (RFC 3261 §22.2, digest with the trunk's credentials; a second challenge to fresh credentials means they are
 * wrong), refreshed at half the granted expiry with the same Call-ID and a higher CSeq (§10.2.4), removed with
 * {@code Expires: 0} when the trunk goes. {@link CarrierRegistrations} drives it from its periodic check and passes
 * it its responses. Guarded by its own monitor.
 */
final class CarrierRegistration {

    private static final Logger log = LoggerFactory.getLogger(CarrierRegistration.class);

    enum State { IDLE, REGISTERING, REGISTERED, FAILED, REMOVED }

    /** What it registers: a definition change (host, user, password) makes a new registration. */
    record Target(String tenant, String trunk, String host, int port, String transport, String username,
            String password) {
    }

    final Target target;
    final String callId = SipMessages.newToken() + "@tandem-reg";
    private final String fromTag = SipMessages.newToken();
    private final CarrierCredentials credentials;
    private final NodeSignalling signalling;
    private final Duration expiry;
    private long cseq;
    private State state = State.IDLE;
    private int status;
    private ClientTransaction pending;
    private int pendingExpires;
    private boolean pendingAuthorized;
    private DigestChallenge challenge;
    private boolean proxyChallenge;
    private Instant due = Instant.MIN;
    private Instant expiresAt;

    CarrierRegistration(Target target, NodeSignalling signalling, Duration expiry) {
        this.target = target;
        this.credentials = new CarrierCredentials(target.username(), target.password());
        this.signalling = signalling;
        this.expiry = expiry;
    }

    /** A snapshot for the trunk's view: state, last status, when the binding expires. */
    record Status(State state, int status, Instant expiresAt) {
    }

    synchronized Status status() {
        return new Status(state, status, expiresAt);
    }

    /** Sends a REGISTER when one is due (first, refresh, retry after a failure); true when it sent one. */
    synchronized boolean sendIfDue(Instant now, Duration retry) {
        if (pending != null || state == State.REMOVED || now.isBefore(due)) {
            return false;
        }
        due = now.plus(retry); // until the answer says otherwise
        return send((int) expiry.toSeconds(), challenge != null);
    }

    /** Removes our binding ({@code Expires: 0}); the registration is over. */
    synchronized void remove() {
        if (state == State.REGISTERED) {
            send(0, challenge != null);
        }
        state = State.REMOVED;
    }

    synchronized boolean owns(ClientTransaction tx) {
        return tx != null && tx == pending;
    }

    /** A final response to our REGISTER. */
    synchronized void onResponse(ClientTransaction tx, Response response, Instant now, Duration retry) {
        int code = response.getStatusCode();
        if (tx != pending || code < 200) {
            return;
        }
        pending = null;
        status = code;
        if (pendingExpires == 0) {
            return; // a removal: whatever the answer, we are done with the carrier
        }
        if (code >= 200 && code < 300) {
            int granted = granted(response);
            state = State.REGISTERED;
            expiresAt = now.plusSeconds(granted);
            // RFC 3261 §10.2.4: refresh before it expires; half leaves room for a retry.
            due = now.plusSeconds(Math.max(1, granted / 2));
            log.info("trunk {}@{}: registered to {}:{} for {} s", target.trunk(), target.tenant(), target.host(),
                    target.port(), granted);
        } else if ((code == 401 || code == 407) && readChallenge(response, code)
                && !(pendingAuthorized && !challenge.stale())) {
            send(pendingExpires, true);
        } else {
            state = State.FAILED;
            due = now.plus(retry);
            log.warn("trunk {}@{}: registration to {}:{} refused with {}{}", target.trunk(), target.tenant(),
                    target.host(), target.port(), code, code == 401 || code == 407 ? " (wrong credentials?)" : "");
        }
    }

    /** Our REGISTER got no answer (RFC 3261 §17.1.2.2 Timer F). */
    synchronized void onTimeout(ClientTransaction tx, Instant now, Duration retry) {
        if (tx != pending) {
            return;
        }
        pending = null;
        if (pendingExpires == 0) {
            return;
        }
        state = State.FAILED;
        status = 408;
        due = now.plus(retry);
        log.warn("trunk {}@{}: registrar {}:{} did not answer", target.trunk(), target.tenant(), target.host(),
                target.port());
    }

    private boolean send(int expires, boolean withCredentials) {
        try {
            SipMessages m = signalling.endpoint().messages();
            SipURI registrar = m.addresses().createSipURI(null, host());
            registrar.setPort(target.port());
            if (!"udp".equals(target.transport())) {
                registrar.setTransportParam(target.transport());
            }
            Address aor = m.addresses().createAddress(m.addresses().createSipURI(target.username(), host()));
            Request register = m.outOfDialog(Request.REGISTER, registrar, aor, fromTag, aor, callId, ++cseq,
                    target.transport(), target.username());
            ViaHeader via = (ViaHeader) register.getHeader(ViaHeader.NAME);
            via.setHost(signalling.host());
            via.setPort(signalling.sipPort());
            ContactHeader contact = signalling.contact(target.username(), target.transport());
            contact.setExpires(expires);
            register.setHeader(contact);
            register.setHeader(m.headers().createExpiresHeader(expires));
            if (withCredentials && challenge != null) {
                register.setHeader(m.headers().createHeader(proxyChallenge ? "Proxy-Authorization" : "Authorization",
                        credentials.authorization(challenge, Request.REGISTER, registrar.toString())));
            }
            ClientTransaction tx = signalling.endpoint().provider().getNewClientTransaction(register);
            pending = tx;
            pendingExpires = expires;
            pendingAuthorized = withCredentials && challenge != null;
            if (expires > 0 && state != State.REGISTERED) {
                state = State.REGISTERING;
            }
            tx.sendRequest();
            return true;
        } catch (Exception e) {
            pending = null;
            state = expires == 0 ? state : State.FAILED;
            signalling.failed("register", "to trunk " + target.trunk() + "@" + target.tenant(), e);
            return false;
        }
    }

    private String host() {
        return target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    }

    private boolean readChallenge(Response response, int code) {
        return CarrierCredentials.challengeOf(response, "trunk " + target.trunk() + "@" + target.tenant())
                .map(read -> {
                    challenge = read;
                    proxyChallenge = code == Response.PROXY_AUTHENTICATION_REQUIRED;
                    return true;
                }).orElse(false);
    }

    /** The expiry the registrar granted our contact: its {@code expires} parameter, else Expires, else ours. */
    private int granted(Response response) {
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        if (contact != null && contact.getExpires() > 0) {
            return contact.getExpires();
        }
        ExpiresHeader header = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        return header != null && header.getExpires() > 0 ? header.getExpires() : (int) expiry.toSeconds();
    }
}
