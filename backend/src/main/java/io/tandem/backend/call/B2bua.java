package io.tandem.backend.call;

import io.tandem.backend.directory.User;
import io.tandem.backend.node.SipProperties;
import io.tandem.backend.node.sip.InboundRequest;
import io.tandem.backend.node.sip.SipFeature;
import io.tandem.backend.node.sip.TrunkSignature;
import io.lettuce.core.SetArgs;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.backend.registrar.SipAuthenticator;
import io.tandem.backend.registrar.TenantResolver;
import io.tandem.backend.routing.CallAdmission;
import io.tandem.backend.routing.CallRouter;
import io.tandem.backend.routing.Route;
import io.tandem.backend.wake.CallWakes;
import io.tandem.backend.wake.Wake;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.relay.RtpRelayPool;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's back-to-back user agent (RFC 3261 §6 "B2BUA"; RFC 7092 taxonomy: a signalling- and media-anchoring
 * one). An INVITE places a call only when it is digest-authenticated as the extension in its From, or signed by a
 * node of the cluster (the trunk): nothing else makes this node send an INVITE, so it is no open relay. The
 * dialled extension is routed by {@link CallRouter}; every call gets its own B-leg Call-ID(s) and one RTP relay. What
 * an authenticated caller may dial at all is {@link CallAdmission}'s to say, before any service or extension rings.
 */
public final class B2bua implements SipFeature {

    private static final Logger log = LoggerFactory.getLogger(B2bua.class);

    private final Calls calls;
    private final SipAuthenticator authenticator;
    private final TenantResolver tenants;
    private final CallRouter router;
    private final CallAdmission admission;
    private final TrunkSignature trunk;
    private final RtpRelayPool relays;
    private final InetAddress mediaBind;
    private final Redis redis;
    private final CallWakes wakes;
    /** Queues and other numbers answered by features of this node; looked up per call (they depend on us). */
    private final Supplier<List<ServiceNumbers>> services;

    B2bua(Calls calls, SipAuthenticator authenticator, TenantResolver tenants, CallRouter router,
            CallAdmission admission, TrunkSignature trunk, RtpRelayPool relays, SipProperties sip, Redis redis,
            Supplier<List<ServiceNumbers>> services, CallWakes wakes) {
        this.wakes = wakes;
        this.admission = admission;
        this.calls = calls;
        this.services = services;
        this.redis = redis;
        this.authenticator = authenticator;
        this.tenants = tenants;
        this.router = router;
        this.trunk = trunk;
        this.relays = relays;
        try {
            this.mediaBind = InetAddress.getByName(sip.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("tandem.sip.bind-address: unknown address " + sip.bindAddress(), e);
        }
    }

    @Override
    public Set<String> methods() {
        return Set.of(Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL, Request.INFO, Request.REFER);
    }

    /** The calls of this node (for {@link EntryNodeWatch}). */
    Calls calls() {
        return calls;
    }

    /** Calls in progress on this node. */
    public int activeCalls() {
        return calls.active();
    }

    @Override
    public void onRequest(InboundRequest in) {
        Request request = in.request();
        Leg leg = calls.find(callId(request));
        if (leg == null && !(Request.INVITE.equals(in.method()) && toTag(request) == null)) {
            for (ServiceNumbers service : services.get()) {
                if (service.owns(callId(request))) {
                    service.onRequest(in);
                    return;
                }
            }
        }
        switch (in.method()) {
            case Request.ACK -> {
                // RFC 3261 §13.3.1.4: the ACK of our 2xx ends the caller's INVITE; after a late offer it carries
                // the caller's answer (RFC 3264 §4).
                if (leg != null && leg.isCaller()) {
                    leg.bridge.onCallerAck(leg, request);
                }
            }
            case Request.INVITE -> {
                if (toTag(request) == null) {
                    onInitialInvite(in);
                } else if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> MidCall.onReinvite(leg.bridge, leg, st));
                }
            }
            case Request.BYE -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> leg.bridge.onBye(leg, st));
                }
            }
            case Request.CANCEL -> {
                if (leg == null || !leg.isCaller()) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(leg.bridge::onCallerCancel);
                }
            }
            case Request.INFO -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> MidCall.onInfo(leg.bridge, leg, st));
                }
            }
            case Request.REFER -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> Transfer.onRefer(leg.bridge, leg, st, router, admission));
                }
            }
            default -> in.respond(Response.NOT_IMPLEMENTED, in.method() + " is not implemented");
        }
    }

    @Override
    public void onResponse(ResponseEvent event) {
        Leg leg = calls.find(callId(event.getResponse()));
        if (leg != null) {
            leg.bridge.onResponse(leg, event);
        }
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        if (event.isServerTransaction() || event.getClientTransaction() == null) {
            return;
        }
        Leg leg = calls.find(callId(event.getClientTransaction().getRequest()));
        if (leg != null && !leg.isCaller() && leg.branch != null && leg.branch.owns(event.getClientTransaction())) {
            // a ringing branch, or the INVITE towards a transfer target
            leg.bridge.onBranchTimeout(leg, event.getClientTransaction());
        }
    }

    @Override
    public void onAckNotReceived(Dialog dialog, String callId) {
        Leg leg = calls.find(callId);
        if (leg != null && leg.dialog() == dialog) {
            leg.bridge.onAckTimeout(leg);
        }
    }

    private void onInitialInvite(InboundRequest in) {
        Request request = in.request();
        FromHeader fromHeader = (FromHeader) request.getHeader(FromHeader.NAME);
        if (!(fromHeader.getAddress().getURI() instanceof SipURI from) || from.getUser() == null
                || !Keys.EXTENSION.matcher(from.getUser()).matches()) {
            in.respond(Response.FORBIDDEN, "From must name an extension of this node");
            return;
        }
        String caller = from.getUser();
        TrunkSignature.Signed signed = trunk.verify(request);
        String tenant;
        String target;
        User user = null; // the authenticated caller; a signed trunk INVITE was admitted by its first node
        switch (signed.verdict()) {
            case INVALID -> {
                log.warn("INVITE from {}:{} with a bad or expired trunk signature (origin {}) refused",
                        in.sourceAddress(), in.sourcePort(), signed.origin());
                in.respond(Response.FORBIDDEN, "Invalid inter-node signature");
                return;
            }
            case VALID -> {
                if (!firstUse(signed)) {
                    log.warn("INVITE from {}:{} replays a trunk signature of {}", in.sourceAddress(),
                            in.sourcePort(), signed.origin());
                    in.respond(Response.FORBIDDEN, "Replayed inter-node signature");
                    return;
                }
                tenant = signed.tenant();
                target = signed.extension();
            }
            default -> {
                if (!(request.getRequestURI() instanceof SipURI uri)) {
                    in.respond(Response.UNSUPPORTED_URI_SCHEME, "Only sip: URIs are routed");
                    return;
                }
                Optional<String> found = tenants.tenantFor(uri.getHost());
                if (found.isEmpty()) {
                    found = tenants.tenantFor(from.getHost());
                }
                if (found.isEmpty()) {
                    in.respond(Response.NOT_FOUND, "Domain not served here");
                    return;
                }
                tenant = found.get();
                Optional<User> authenticated = authenticator.authenticated(in, tenant, caller, true);
                if (authenticated.isEmpty()) {
                    return;
                }
                user = authenticated.get();
                target = uri.getUser();
            }
        }
        boolean viaTrunk = signed.verdict() == TrunkSignature.Verdict.VALID;
        boolean joinNumber = target != null && ServiceNumbers.JOIN_NUMBER.matcher(target).matches();
        if (user != null && target != null) {
            // Before the number's shape is judged: an app user dialling an outside number (+4930..., which no
            // extension pattern matches) is refused like any other, not told the number does not exist.
            Optional<String> refusal = admission.refusal(tenant, user, target);
            if (refusal.isPresent()) {
                in.respond(Response.FORBIDDEN, refusal.get());
                return;
            }
        }
        if (target == null || !(joinNumber || Keys.EXTENSION.matcher(target).matches())
                || !Keys.TENANT.matcher(tenant).matches()) {
            in.respond(Response.NOT_FOUND, "No such number");
            return;
        }
        // RFC 3261 §13.2.1: an INVITE without a body is a late offer; the node offers in its 200 (LateOffer).
        boolean lateOffer = request.getRawContent() == null || request.getRawContent().length == 0;
        Optional<SessionDescription> offer = SdpRewriter.sdpOf(request);
        if (offer.isEmpty() && !lateOffer) {
            in.respond(Response.NOT_ACCEPTABLE_HERE, "Unreadable SDP offer");
            return;
        }
        if (offer.isPresent() && !SdpRewriter.relayable(offer.get())) {
            in.respond(Response.NOT_ACCEPTABLE_HERE, "No plain RTP audio stream offered");
            return;
        }
        for (ServiceNumbers service : services.get()) {
            if (service.serves(tenant, target)) {
                if (lateOffer && joinNumber) {
                    // A join's refusal is early media in a 183 (RoomJoins), which needs the caller's offer.
                    in.respond(Response.NOT_ACCEPTABLE_HERE, "An SDP offer is required in the INVITE to this number");
                    return;
                }
                service.onInvite(in, tenant, caller, target);
                return;
            }
        }
        if (joinNumber) {
            in.respond(Response.NOT_FOUND, "No room to join here");
            return;
        }
        Route route = router.route(tenant, target, viaTrunk);
        if (route instanceof Route.Unknown) {
            in.respond(Response.NOT_FOUND, "No such extension");
            return;
        }
        // RFC 8599: a callee with push bindings is woken (once per call: by the node it entered, not over the trunk),
        // and one with no live contact waits for its device instead of 480 at once.
        Optional<Wake> wake = viaTrunk ? Optional.empty()
                : wakes.prepare(tenant, target, callId(request), caller, fromHeader.getAddress().getDisplayName());
        List<Route.Target> targets = route instanceof Route.Ring ring ? ring.targets() : List.of();
        if (targets.isEmpty() && wake.isEmpty()) {
            in.respond(Response.TEMPORARILY_UNAVAILABLE, "Not registered");
            return;
        }
        if (calls.find(callId(request)) != null) {
            // RFC 3261 §8.2.2.2: a second INVITE of a call this node already carries (a loop or a merged fork).
            in.respond(Response.LOOP_DETECTED, "This call is already here");
            return;
        }
        Optional<ServerTransaction> st = serverTransaction(in);
        if (st.isEmpty()) {
            return;
        }
        RtpRelay relay;
        try {
            relay = relays.open(mediaBind, mediaBind);
        } catch (IOException e) {
            log.warn("INVITE {} -> {}: {}", caller, target, e.getMessage());
            in.respond(Response.SERVICE_UNAVAILABLE, "No media ports available");
            return;
        }
        Bridge bridge = new Bridge(calls, tenant, caller, target, viaTrunk, callId(request), relay);
        Leg callerLeg = bridge.callerLeg;
        callerLeg.inviteSt = st.get();
        callerLeg.invite = request;
        callerLeg.toTag = SipMessages.newToken();
        try {
            callerLeg.dialog = calls.signalling.endpoint().provider().getNewDialog(st.get());
        } catch (Exception e) {
            relay.close();
            log.warn("INVITE {} -> {}: cannot create the dialog: {}", caller, target, e.getMessage());
            in.respond(Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog");
            return;
        }
        calls.register(callerLeg);
        calls.started(bridge);
        log.debug("call {} {}@{} -> {} ({}): ringing {} target(s){}", bridge.id(), caller, tenant, target,
                viaTrunk ? "trunk from " + signed.origin() : "authenticated", targets.size(),
                wake.isPresent() ? ", waking its devices" : "");
        calls.signalling.respond(callerLeg, st.get(), Response.TRYING, null, null);
        String tenantOfCall = tenant;
        String callee = target;
        bridge.start(targets, offer, wake, () -> router.route(tenantOfCall, callee, false));
    }

    /** A signed INVITE is accepted once: its signature is remembered for as long as it is valid. */
    private boolean firstUse(TrunkSignature.Signed signed) {
        String set = redis.commands().set(Keys.trunkSignature(signed.signature()), "1",
                SetArgs.Builder.nx().px(trunk.validityMillis() * 2));
        return "OK".equals(set);
    }

    private Optional<ServerTransaction> serverTransaction(InboundRequest in) {
        return calls.signalling.endpoint().serverTransaction(in.event());
    }

    private static String callId(javax.sip.message.Message message) {
        CallIdHeader id = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return id == null ? null : id.getCallId();
    }

    private static String toTag(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }
}
