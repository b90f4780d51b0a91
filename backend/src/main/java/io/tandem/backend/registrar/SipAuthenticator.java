package io.tandem.backend.registrar;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.User;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.telephony.sip.SipMessages;
import java.util.Locale;
import java.util.Optional;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of a request by a user of the directory, shared by the registrar (REGISTER: 401 and
 * {@code WWW-Authenticate}, RFC 3261 §22.2) and the B2BUA (INVITE: 407 and {@code Proxy-Authenticate}, §22.3, the
 * answer of an intermediary that places calls on the user's behalf). Answers the challenge or refusal itself;
 * wrong passwords count towards the source's flood block whatever the method.
 */
public final class SipAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(SipAuthenticator.class);

    private final Directory directory;
    private final DigestGate digest;
    private final FloodGuard flood;
    private final RegistrarProperties properties;

    SipAuthenticator(Directory directory, DigestGate digest, FloodGuard flood, RegistrarProperties properties) {
        this.directory = directory;
        this.digest = digest;
        this.flood = flood;
        this.properties = properties;
    }

    /**
     * True when the request carries good credentials of {@code extension} in {@code tenant} (the realm); otherwise
     * the request has been answered (challenge, 400 or 403) and false is returned.
     *
     * @param proxy 407/{@code Proxy-Authorization} instead of 401/{@code Authorization}
     */
    public boolean authenticate(InboundRequest in, String tenant, String extension, boolean proxy) {
        return authenticated(in, tenant, extension, proxy).isPresent();
    }

    /**
     * A REGISTER's credentials checked against the user's cached HA1, for the binding's write to confirm (see
     * {@link DigestGate.Proof}); empty when they must be checked by {@link #authenticate} (nothing answered yet).
     */
    Optional<DigestGate.Proof> provisional(InboundRequest in, String tenant, String extension) {
        return digest.provisional(Registrar.headerValue(in.request().getHeader("Authorization")), in.method(),
                tenant, in.sourceAddress(), extension);
    }

    /** The write refused a {@link DigestGate.Proof} for its nonce-count: answered as {@link #authenticate} does. */
    void replayed(InboundRequest in, String tenant) {
        challenge(in, tenant, false, "Nonce count reused", false);
    }

    /** The write refused a {@link DigestGate.Proof} for its HA1: the user's password changed or the user is gone. */
    void forget(String tenant, String extension) {
        digest.forget(tenant, extension);
    }

    /**
     * As {@link #authenticate}, answering the user whose credentials the request carries (what they may do is read
     * from it without another trip to Redis); empty when the request has been answered.
     */
    public Optional<User> authenticated(InboundRequest in, String tenant, String extension, boolean proxy) {
        String authorization = Registrar.headerValue(in.request().getHeader(
                proxy ? "Proxy-Authorization" : "Authorization"));
        DigestGate.Checked checked = digest.check(authorization, in.method(), tenant, in.sourceAddress(),
                extension, () -> directory.fetch(tenant, extension));
        switch (checked.verdict()) {
            case ACCEPTED -> {
                return checked.user();
            }
            case CHALLENGE -> challenge(in, tenant, false, null, proxy);
            case STALE -> challenge(in, tenant, true, null, proxy);
            case REPLAYED -> challenge(in, tenant, false, "Nonce count reused", proxy);
            case MALFORMED -> in.respond(Response.BAD_REQUEST, "Malformed Authorization header");
            case WRONG -> {
                boolean blocked = flood.failed(in.sourceAddress());
                log.info("{} for {}@{} from {}:{} refused: wrong credentials{}", in.method(), extension, tenant,
                        in.sourceAddress(), in.sourcePort(), blocked ? " (source now blocked)" : "");
                in.respond(Response.FORBIDDEN, "Wrong credentials");
            }
        }
        return Optional.empty();
    }

    private void challenge(InboundRequest in, String realm, boolean stale, String reason, boolean proxy) {
        Response response = in.messages().responseTo(in.request(),
                proxy ? Response.PROXY_AUTHENTICATION_REQUIRED : Response.UNAUTHORIZED, reason);
        // Composed here (DigestChallenge): added as it is, not parsed back into the header it was made from.
        for (String value : digest.challenges(realm, in.sourceAddress(), stale, md5Only(in))) {
            response.addHeader(SipMessages.verbatim(proxy ? "Proxy-Authenticate" : "WWW-Authenticate", value));
        }
        // A retransmitted REGISTER must get this same 401 again, not a second one with a fresh nonce that a client
        // already answering the first would take for a stray response (SIPp fails the registration on it): its
        // transaction repeats it, or over UDP (stateless, Registrar#answersStatelessly) the router's kept answer.
        in.respond(response);
    }

    /** A client on the {@code md5-only-user-agents} list (see {@link RegistrarProperties}). */
    private boolean md5Only(InboundRequest in) {
        String userAgent = Registrar.headerValue(in.request().getHeader(UserAgentHeader.NAME));
        if (userAgent == null || properties.md5OnlyUserAgents().isEmpty()) {
            return false;
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return properties.md5OnlyUserAgents().stream().anyMatch(ua::contains);
    }
}
