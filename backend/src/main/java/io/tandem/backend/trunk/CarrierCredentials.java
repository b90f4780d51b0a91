package io.tandem.backend.trunk;

import io.tandem.telephony.sip.auth.DigestChallenge;
import io.tandem.telephony.sip.auth.DigestClient;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registration trunk's digest credentials answering the carrier's challenges (RFC 3261 §22.2) with the telephony
 * library's one {@link DigestClient}: the REGISTER of {@link CarrierRegistration} and the INVITE of an outside call
 * alike. For an INVITE one instance serves one branch ({@link Seizure#credentials}): it answers each new challenge
 * once, and a second challenge with the nonce it already answered (not {@code stale}, RFC 2617 §3.2.1) means the
 * credentials are wrong — no answer, the branch fails instead of looping. Thread-safe.
 */
public final class CarrierCredentials {

    private static final Logger log = LoggerFactory.getLogger(CarrierCredentials.class);
    /** A carrier that keeps inventing nonces gets this many answers per branch, then none. */
    private static final int MAX_ANSWERS = 3;

    /** No credentials (an address-authenticated trunk): a challenge is the branch's outcome. */
    static final CarrierCredentials NONE = new CarrierCredentials("", "", null);

    /** The header that answers a challenge: {@code Authorization} for a 401, {@code Proxy-Authorization} for a 407. */
    public record Answer(String header, String value) {
    }

    private final String username;
    private final String password;
    private final DigestClient digest;
    // guarded by this
    private String answeredNonce;
    private int answers;

    CarrierCredentials(String username, String password) {
        this(username, password, new DigestClient());
    }

    private CarrierCredentials(String username, String password, DigestClient digest) {
        this.username = username;
        this.password = password;
        this.digest = digest;
    }

    /**
     * The credentials for {@code method} to {@code uri} that answer the challenge in {@code response} (a 401 or 407);
     * empty when there are none, the challenge is unreadable, or it repeats the nonce already answered (wrong
     * credentials).
     */
    public synchronized Optional<Answer> answer(Response response, String method, String uri) {
        if (digest == null) {
            return Optional.empty();
        }
        Optional<DigestChallenge> challenge = challengeOf(response, username);
        if (challenge.isEmpty() || answers >= MAX_ANSWERS
                || (challenge.get().nonce().equals(answeredNonce) && !challenge.get().stale())) {
            return Optional.empty();
        }
        answers++;
        answeredNonce = challenge.get().nonce();
        return Optional.of(new Answer(response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED
                ? "Proxy-Authorization" : "Authorization", authorization(challenge.get(), method, uri)));
    }

    /** The digest response to {@code challenge} for {@code method} to {@code uri}. */
    String authorization(DigestChallenge challenge, String method, String uri) {
        return digest.authorization(challenge, method, uri, username, password);
    }

    /**
     * The first readable digest challenge of a 401 ({@code WWW-Authenticate}) or 407 ({@code Proxy-Authenticate},
     * RFC 3261 §22.3); unreadable ones are skipped and logged. Empty for any other response.
     */
    static Optional<DigestChallenge> challengeOf(Response response, String who) {
        int code = response.getStatusCode();
        if (code != Response.UNAUTHORIZED && code != Response.PROXY_AUTHENTICATION_REQUIRED) {
            return Optional.empty();
        }
        ListIterator<?> headers = response.getHeaders(code == Response.PROXY_AUTHENTICATION_REQUIRED
                ? "Proxy-Authenticate" : "WWW-Authenticate");
        while (headers != null && headers.hasNext()) {
            String encoded = ((Header) headers.next()).toString();
            try {
                return Optional.of(DigestChallenge.parse(encoded.substring(encoded.indexOf(':') + 1).trim()));
            } catch (IllegalArgumentException e) {
                log.info("carrier challenge to {}: unreadable challenge skipped: {}", who, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
