package io.tandem.backend.registrar;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.redis.Keys;
import io.tandem.telephony.sip.auth.DigestAlgorithm;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrar (RFC 3261 §10.3): authenticates REGISTER with digest, applies the Contact changes to the binding in
 * Redis in one atomic script, and answers 200 with every current contact and its expiry.
 */
public final class Registrar implements SipFeature {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final CredentialCache credentials;
    private final Bindings bindings;
    private final TenantResolver tenants;
    private final DigestGate digest;
    private final FloodGuard flood;
    private final RegistrarProperties properties;
    private final LocalRegistrations local;
    private final String nodeId;
    private final Clock clock;

    Registrar(CredentialCache credentials, Bindings bindings, TenantResolver tenants, DigestGate digest,
            FloodGuard flood, RegistrarProperties properties, LocalRegistrations local, String nodeId, Clock clock) {
        this.credentials = credentials;
        this.bindings = bindings;
        this.tenants = tenants;
        this.digest = digest;
        this.flood = flood;
        this.properties = properties;
        this.local = local;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    @Override
    public Set<String> methods() {
        return Set.of(Request.REGISTER);
    }

    @Override
    public void onRequest(InboundRequest in) {
        Request request = in.request();
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null
                || !Keys.EXTENSION.matcher(aor.getUser()).matches()) {
            in.respond(Response.BAD_REQUEST, "To must be the address of record sip:extension@domain");
            return;
        }
        String extension = aor.getUser();
        Optional<String> tenant = tenants.tenantFor(aor.getHost());
        if (tenant.isEmpty() && request.getRequestURI() instanceof SipURI target) {
            tenant = tenants.tenantFor(target.getHost()); // §10.3 step 1: the Request-URI names the registrar's domain
        }
        if (tenant.isEmpty()) {
            in.respond(Response.NOT_FOUND, "Domain not served here");
            return;
        }
        register(in, tenant.get(), extension, false);
    }

    /**
     * Authenticates and applies the REGISTER. The user comes from {@link CredentialCache} unless {@code fresh}; the
     * binding script confirms the HA1 and records the nonce-count in the same round trip as the write, and when the
     * HA1 changed meanwhile the request is judged again against the directory as it is now.
     */
    private void register(InboundRequest in, String tenant, String extension, boolean fresh) {
        DigestGate.Verification verification = authenticate(in, tenant, extension, fresh);
        if (verification == null) {
            return;
        }
        Bindings.Authorisation authorisation = new Bindings.Authorisation(
                verification.algorithm() == DigestAlgorithm.SHA_256 ? Directory.HA1_SHA256_FIELD
                        : Directory.HA1_MD5_FIELD,
                verification.ha1(), DigestGate.nonceCountKey(tenant, verification), verification.nonceCount(),
                digest.nonceTtlMillis());
        if (!applyContacts(in, tenant, extension, authorisation)) {
            if (fresh) {
                // Changed again between our read and the write: let the phone retry on a new challenge.
                challenge(in, tenant, false, null);
            } else {
                register(in, tenant, extension, true);
            }
        }
    }

    /**
     * Answers the challenge or refusal itself and returns null unless the credentials are right on a fresh nonce
     * (the nonce-count is checked with the write). A refusal based on a cached user is confirmed against the
     * directory first, so a password changed on another node is never refused with the old one.
     */
    private DigestGate.Verification authenticate(InboundRequest in, String tenant, String extension, boolean fresh) {
        String authorization = headerValue(in.request().getHeader(AuthorizationHeader.NAME));
        DigestGate.Verification verification;
        if (authorization == null) {
            verification = DigestGate.Verification.of(DigestGate.Verdict.CHALLENGE);
        } else {
            CredentialCache.Lookup lookup = fresh
                    ? new CredentialCache.Lookup(credentials.reload(tenant, extension), false)
                    : credentials.find(tenant, extension);
            verification = digest.verify(authorization, Request.REGISTER, tenant, in.sourceAddress(), extension,
                    lookup.user());
            if (lookup.cached() && verification.verdict() != DigestGate.Verdict.VERIFIED) {
                verification = digest.verify(authorization, Request.REGISTER, tenant, in.sourceAddress(), extension,
                        credentials.reload(tenant, extension));
            }
        }
        switch (verification.verdict()) {
            case VERIFIED, ACCEPTED -> {
                return verification;
            }
            case CHALLENGE -> challenge(in, tenant, false, null);
            case STALE -> challenge(in, tenant, true, null);
            case REPLAYED -> challenge(in, tenant, false, "Nonce count reused");
            case MALFORMED -> in.respond(Response.BAD_REQUEST, "Malformed Authorization header");
            case WRONG -> {
                boolean blocked = flood.failed(in.sourceAddress());
                log.info("REGISTER for {}@{} from {}:{} refused: wrong credentials{}", extension, tenant,
                        in.sourceAddress(), in.sourcePort(), blocked ? " (source now blocked)" : "");
                in.respond(Response.FORBIDDEN, "Wrong credentials");
            }
        }
        return null;
    }

    private void challenge(InboundRequest in, String realm, boolean stale, String reason) {
        Response response = in.messages().responseTo(in.request(), Response.UNAUTHORIZED, reason);
        try {
            for (String value : digest.challenges(realm, in.sourceAddress(), stale, md5Only(in))) {
                response.addHeader(in.messages().headers().createHeader("WWW-Authenticate", value));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a challenge", e);
        }
        in.respond(response);
    }

    /** A client on the {@code md5-only-user-agents} list (see {@link RegistrarProperties}). */
    private boolean md5Only(InboundRequest in) {
        String userAgent = headerValue(in.request().getHeader(UserAgentHeader.NAME));
        if (userAgent == null || properties.md5OnlyUserAgents().isEmpty()) {
            return false;
        }
        String ua = userAgent.toLowerCase(java.util.Locale.ROOT);
        return properties.md5OnlyUserAgents().stream().anyMatch(ua::contains);
    }

    /**
     * Writes the contact changes and answers; false (nothing answered, nothing written) when the user's HA1 changed
     * since the credentials were verified.
     */
    private boolean applyContacts(InboundRequest in, String tenant, String extension,
            Bindings.Authorisation authorisation) {
        Request request = in.request();
        ContactRequest contacts;
        try {
            contacts = ContactRequest.read(request, properties);
        } catch (ContactRequest.Refusal refusal) {
            Response response = in.messages().responseTo(request, refusal.status(), refusal.getMessage());
            if (refusal.status() == Response.INTERVAL_TOO_BRIEF) {
                try {
                    response.setHeader(in.messages().headers().createMinExpiresHeader(
                            (int) properties.minExpires().toSeconds()));
                } catch (javax.sip.InvalidArgumentException e) {
                    throw new IllegalStateException(e);
                }
            }
            in.respond(response);
            return true;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Instant now = clock.instant();
        String userAgent = headerValue(request.getHeader(UserAgentHeader.NAME));
        List<Bindings.ContactChange> changes = new ArrayList<>();
        for (ContactRequest.Entry entry : contacts.entries()) {
            Binding binding = entry.expires() == 0 ? null : new Binding(extension, nodeId, entry.uri(),
                    reachable(in, entry.parsed()), in.transport(), in.sourceAddress() + ":" + in.sourcePort(),
                    userAgent == null ? "" : userAgent, callId, cseq, now, now, now.plusSeconds(entry.expires()));
            changes.add(new Bindings.ContactChange(entry.uri(), binding));
        }
        Bindings.WriteResult result = bindings.write(tenant, extension, callId, cseq, contacts.removeAll(), changes,
                properties.maxContacts(), properties.bindingGrace().toMillis(), authorisation);
        switch (result.outcome()) {
            case OUT_OF_ORDER -> {
                // RFC 3261 §10.3 step 7: same Call-ID with a CSeq not higher than the stored one.
                in.respond(Response.SERVER_INTERNAL_ERROR, "Out of order REGISTER");
                return true;
            }
            case REPLAYED -> {
                challenge(in, tenant, false, "Nonce count reused");
                return true;
            }
            case CREDENTIALS_CHANGED -> {
                return false;
            }
            case WRITTEN -> {
                // answered below
            }
        }
        if (result.evicted() > 0) {
            log.info("{}@{}: {} oldest contact(s) replaced (max {} per extension)", extension, tenant,
                    result.evicted(), properties.maxContacts());
        }
        local.update(tenant, extension, result.current(), nodeId);
        in.respond(ok(in, result.current(), now));
        return true;
    }

    /** §10.3 step 8: 200 with every current contact and its remaining expiry, and a Date. */
    private Response ok(InboundRequest in, List<Binding> current, Instant now) {
        Response response = in.messages().responseTo(in.request(), Response.OK);
        try {
            for (Binding binding : current) {
                URI uri = in.messages().addresses().createURI(binding.contact());
                ContactHeader contact = in.messages().headers().createContactHeader(
                        in.messages().addresses().createAddress(uri));
                contact.setExpires((int) Math.min(Integer.MAX_VALUE, binding.expiresIn(now)));
                response.addHeader(contact);
            }
            Calendar date = Calendar.getInstance(TimeZone.getTimeZone("GMT"));
            date.setTimeInMillis(now.toEpochMilli());
            response.setHeader(in.messages().headers().createDateHeader(date));
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build the 200 to REGISTER", e);
        }
        return response;
    }

    /**
     * RFC 3581 §4 / RFC 5626 spirit: the phone is reached where its REGISTER came from. A contact behind NAT names a
     * private address; the packet's source is the public mapping that routes back to it.
     */
    private static String reachable(InboundRequest in, URI contact) {
        if (!(contact instanceof SipURI sip) || in.sourceAddress().isEmpty()) {
            return contact.toString();
        }
        SipURI copy = (SipURI) sip.clone();
        try {
            copy.setHost(in.sourceAddress());
            copy.setPort(in.sourcePort());
            if (!"udp".equals(in.transport())) {
                copy.setTransportParam(in.transport());
            }
        } catch (ParseException e) {
            return contact.toString();
        }
        return copy.toString();
    }

    /** The value part of a header as the RI encodes it ({@code Name: value\r\n}); null for no header. */
    static String headerValue(Header header) {
        if (header == null) {
            return null;
        }
        String encoded = header.toString();
        int colon = encoded.indexOf(':');
        return encoded.substring(colon + 1).trim();
    }

    static int expiresHeader(Request request) {
        ExpiresHeader expires = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
        return expires == null ? -1 : expires.getExpires();
    }

    static List<ContactHeader> contactHeaders(Request request) {
        List<ContactHeader> list = new ArrayList<>();
        ListIterator<?> it = request.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            list.add((ContactHeader) it.next());
        }
        return list;
    }
}
