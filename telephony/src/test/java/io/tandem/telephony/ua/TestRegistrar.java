package io.tandem.telephony.ua;

import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestResponse;
import io.tandem.telephony.sip.auth.DigestVerifier;

import javax.sip.RequestEvent;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small digest registrar on a real {@link SipEndpoint}, for what SIPp's scenarios cannot do:
 * SHA-256 challenges, 407 instead of 401, a {@code stale=true} round, short expiries.
 */
final class TestRegistrar implements AutoCloseable {
    static final String REALM = "tandem.test";

    /** A REGISTER as received: its expiry, its credentials (null for none) and its Contact header's value. */
    record Seen(int expires, String authorization, String contact) {
    }

    private final SipEndpoint endpoint;
    private final DigestAlgorithm algorithm;
    private final int challengeStatus;
    private final boolean staleOnce;
    private final int grantedExpiry;
    private final String user;
    private final String password;
    private final AtomicInteger nonces = new AtomicInteger();
    private volatile boolean staleSent;
    final BlockingQueue<Seen> registers = new LinkedBlockingQueue<>();

    TestRegistrar(String user, String password, DigestAlgorithm algorithm, int challengeStatus, boolean staleOnce,
                  int grantedExpiry) throws IOException {
        this.user = user;
        this.password = password;
        this.algorithm = algorithm;
        this.challengeStatus = challengeStatus;
        this.staleOnce = staleOnce;
        this.grantedExpiry = grantedExpiry;
        this.endpoint = SipEndpoint.open(InetAddress.getLoopbackAddress(), 0, "test-registrar", this::onRequest);
    }

    String uri() {
        return "sip:127.0.0.1:" + endpoint.port();
    }

    private void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (!Request.REGISTER.equals(request.getMethod())) {
            endpoint.respond(event, endpoint.messages().responseTo(request, 405));
            return;
        }
        String credentialsHeader = challengeStatus == 407 ? "Proxy-Authorization" : "Authorization";
        Header credentials = request.getHeader(credentialsHeader);
        ExpiresHeader expires = request.getExpires();
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        int asked = contact != null && contact.getExpires() >= 0 ? contact.getExpires()
                : expires != null ? expires.getExpires() : 3600;
        registers.add(new Seen(asked, credentials == null ? null : Registration.headerValue(credentials),
                contact == null ? null : Registration.headerValue(contact)));
        if (credentials == null) {
            endpoint.respond(event, challenge(request, false));
            return;
        }
        DigestResponse digest = DigestResponse.parse(Registration.headerValue(credentials));
        if (staleOnce && !staleSent) {
            staleSent = true;
            endpoint.respond(event, challenge(request, true));
            return;
        }
        String ha1 = algorithm.ha1(user, REALM, password);
        if (!new DigestVerifier().verify(digest, Request.REGISTER, ha1)) {
            endpoint.respond(event, endpoint.messages().responseTo(request, 403, "Bad credentials"));
            return;
        }
        Response ok = endpoint.messages().responseTo(request, 200);
        if (contact != null) {
            ContactHeader granted = (ContactHeader) contact.clone();
            try {
                granted.setExpires(asked == 0 ? 0 : grantedExpiry);
            } catch (javax.sip.InvalidArgumentException e) {
                throw new IllegalStateException(e);
            }
            ok.setHeader(granted);
        }
        endpoint.respond(event, ok);
    }

    private Response challenge(Request request, boolean stale) {
        Response response = endpoint.messages().responseTo(request, challengeStatus);
        String nonce = "nonce" + nonces.incrementAndGet();
        String value = new DigestChallenge(REALM, nonce, null, algorithm, true, stale).toHeaderValue();
        try {
            response.setHeader(endpoint.messages().headers().createHeader(
                    challengeStatus == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", value));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        return response;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
