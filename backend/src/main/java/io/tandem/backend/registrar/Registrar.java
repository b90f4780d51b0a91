package io.tandem.backend.registrar;

import io.micrometer.core.instrument.Counter;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.callback.PushBinding;
import io.tandem.telephony.sip.SipMessages;
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
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
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
 * Redis in one atomic script, and answers 200 with every current contact and its expiry. Contacts carrying RFC 8599
 * push parameters also leave a push binding ({@link PushBindings}) that outlives the SIP binding.
 */
public final class Registrar implements SipFeature {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final SipAuthenticator authenticator;
    private final Bindings bindings;
    private final PushBindings pushBindings;
    private final UnknownPushProviders unknownProviders;
    private final TenantResolver tenants;
    private final RegistrarProperties properties;
    private final LocalRegistrations local;
    private final String nodeId;
    private final Clock clock;
    /** Contacts replaced to make room for a new one: a phone that changes port at every refresh does it each time. */
    private final Counter evicted;
    /** Features waiting for a user's device (looked up per REGISTER: they depend on the registrar's beans). */
    private final Supplier<List<RegistrationListener>> listeners;

    Registrar(SipAuthenticator authenticator, Bindings bindings, PushBindings pushBindings,
            UnknownPushProviders unknownProviders, TenantResolver tenants, RegistrarProperties properties,
            LocalRegistrations local, String nodeId, Clock clock, Supplier<List<RegistrationListener>> listeners,
            Counter evicted) {
        this.evicted = evicted;
        this.listeners = listeners;
        this.authenticator = authenticator;
        this.bindings = bindings;
        this.pushBindings = pushBindings;
        this.unknownProviders = unknownProviders;
        this.tenants = tenants;
        this.properties = properties;
        this.local = local;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    @Override
    public Set<String> methods() {
        return Set.of(Request.REGISTER);
    }

    /**
     * RFC 3261 §10.3 answers every REGISTER at once with a final response and creates no dialog, so over UDP it is
     * answered without a server transaction, as Kamailio does: a registration would otherwise hold two transactions
     * (challenge and authenticated REGISTER) for 32 s each (Timer J) and fill the stack's table (the overload valve
     * refuses from 80,000) at ~1,250 registrations/s sustained. Retransmissions get the first answer again from the
     * router and never reach the nonce-count check.
     */
    @Override
    public boolean answersStatelessly() {
        return true;
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
        // Checked against the user's cached HA1 when there is one: the write confirms it (DigestGate.Proof), so the
        // REGISTER costs one round trip to Redis instead of a directory read and then the write.
        Optional<DigestGate.Proof> proof = authenticator.provisional(in, tenant.get(), extension);
        if (proof.isEmpty() && !authenticator.authenticate(in, tenant.get(), extension, false)) {
            return;
        }
        applyContacts(in, tenant.get(), extension, proof.orElse(null));
    }

    /** Applies the REGISTER's contacts; {@code proof} (null once authenticated) finishes its digest check. */
    private void applyContacts(InboundRequest in, String tenant, String extension, DigestGate.Proof proof) {
        Request request = in.request();
        ContactRequest contacts;
        try {
            contacts = ContactRequest.read(request, properties);
        } catch (ContactRequest.Refusal refusal) {
            Response response = in.messages().responseTo(request, refusal.status(), refusal.getMessage());
            if (refusal.status() == Response.BAD_REQUEST) {
                warn(in, response, refusal.getMessage());
            }
            if (refusal.status() == Response.INTERVAL_TOO_BRIEF) {
                try {
                    response.setHeader(in.messages().headers().createMinExpiresHeader(
                            (int) properties.minExpires().toSeconds()));
                } catch (InvalidArgumentException e) {
                    throw new IllegalStateException(e);
                }
            }
            in.respond(response);
            return;
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Instant now = clock.instant();
        String userAgent = headerValue(request.getHeader(UserAgentHeader.NAME));
        List<String> path = RegistrationPath.of(request);
        List<Bindings.ContactChange> changes = new ArrayList<>();
        for (ContactRequest.Entry entry : contacts.entries()) {
            // RFC 3327 §5.3: through a path the Request-URI is the contact as registered; the path's last proxy
            // (the edge) knows where the phone really is.
            String reachable = path.isEmpty() ? reachable(in, entry.parsed()) : entry.uri();
            Binding binding = entry.expires() == 0 ? null : new Binding(extension, nodeId, entry.uri(), reachable,
                    in.transport(), in.sourceAddress() + ":" + in.sourcePort(), userAgent == null ? "" : userAgent,
                    callId, cseq, now, now, now.plusSeconds(entry.expires()), path);
            changes.add(new Bindings.ContactChange(entry.uri(), binding));
        }
        Bindings.WriteResult result = bindings.write(tenant, extension, callId, cseq, contacts.removeAll(), changes,
                properties.maxContacts(), properties.bindingGrace().toMillis(), proof);
        switch (result.refusal()) {
            case NONE -> {
            }
            case USER_CHANGED -> {
                // The cached HA1 is stale: the directory decides, as for a REGISTER with nothing cached.
                authenticator.forget(tenant, extension);
                if (authenticator.authenticate(in, tenant, extension, false)) {
                    applyContacts(in, tenant, extension, null);
                }
                return;
            }
            case REPLAYED -> {
                authenticator.replayed(in, tenant);
                return;
            }
            case OUT_OF_ORDER -> {
                // RFC 3261 §10.3 step 7: same Call-ID with a CSeq not higher than the stored one.
                in.respond(Response.SERVER_INTERNAL_ERROR, "Out of order REGISTER");
                return;
            }
        }
        if (result.evicted() > 0) {
            // Counted, and logged at debug only: a phone behind a NAT that rebinds its port at every refresh
            // replaces its own stale contact on each REGISTER, and at INFO that was a line per registration.
            evicted.increment(result.evicted());
            log.debug("{}@{}: {} oldest contact(s) replaced (max {} per extension)", extension, tenant,
                    result.evicted(), properties.maxContacts());
        }
        local.update(tenant, extension, result.current(), nodeId);
        List<PushBinding> pushes = pushBindings(tenant, extension, contacts, now);
        if (!pushes.isEmpty()) {
            pushBindings.write(tenant, extension, pushes);
        }
        Response ok = ok(in, result.current(), now);
        RegistrationPath.echo(in, ok, path);
        if (!pushes.isEmpty()) {
            featureCaps(in, ok, pushes.get(0).provider());
        }
        in.respond(ok);
        if (!result.current().isEmpty()) {
            for (RegistrationListener listener : listeners.get()) {
                listener.registered(tenant, extension);
            }
        }
    }

    /**
     * The push bindings the REGISTER's remaining contacts ask for, each living {@code push-binding-lifetime} from
     * now; a provider this node does not serve is logged once and bound to nothing.
     */
    private List<PushBinding> pushBindings(String tenant, String extension, ContactRequest contacts, Instant now) {
        List<PushBinding> pushes = new ArrayList<>();
        long at = now.toEpochMilli();
        long expiresAt = at + properties.pushBindingLifetime().toMillis();
        for (ContactRequest.Entry entry : contacts.entries()) {
            if (entry.push() instanceof PushRequest.Push push) {
                pushes.add(new PushBinding(push.device(), push.provider().wireName(), push.prid(), push.param(),
                        nodeId, at, expiresAt));
            } else if (entry.push() instanceof PushRequest.UnknownProvider unknown) {
                unknownProviders.seen(unknown.provider(), extension, tenant);
            }
        }
        return pushes;
    }

    /**
     * RFC 8599 §4.1.1: the 2xx to a REGISTER whose push binding was kept carries {@code Feature-Caps} with
     * {@code +sip.pns}, telling the device that this registrar will have it woken by that provider.
     */
    private static void featureCaps(InboundRequest in, Response response, String provider) {
        try {
            response.addHeader(in.messages().headers().createHeader("Feature-Caps",
                    "*;+sip.pns=\"" + provider + "\""));
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build Feature-Caps", e);
        }
    }

    /** RFC 3261 §20.43: a Warning (399, miscellaneous) repeating the reason, for clients that hide reason phrases. */
    private void warn(InboundRequest in, Response response, String text) {
        try {
            response.addHeader(in.messages().headers().createWarningHeader(nodeId, 399, text));
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build a Warning", e);
        }
    }

    /** §10.3 step 8: 200 with every current contact and its remaining expiry, and a Date. */
    private Response ok(InboundRequest in, List<Binding> current, Instant now) {
        Response response = in.messages().responseTo(in.request(), Response.OK);
        for (Binding binding : current) {
            // The URI as the phone sent it (ContactRequest read it from a parsed Contact): written as it is rather
            // than parsed again only to be encoded to the same text.
            response.addHeader(SipMessages.verbatim(ContactHeader.NAME, "<" + binding.contact() + ">;expires="
                    + Math.min(Integer.MAX_VALUE, binding.expiresIn(now))));
        }
        Calendar date = Calendar.getInstance(TimeZone.getTimeZone("GMT"));
        date.setTimeInMillis(now.toEpochMilli());
        response.setHeader(in.messages().headers().createDateHeader(date));
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
