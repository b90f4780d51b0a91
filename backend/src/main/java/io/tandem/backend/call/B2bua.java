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
import io.tandem.backend.trunk.CarrierArrivals;
import io.tandem.backend.trunk.CarrierLeg;
import io.tandem.backend.trunk.Did;
import io.tandem.backend.trunk.DialPlan;
import io.tandem.backend.trunk.OutsideCalls;
import io.tandem.backend.trunk.Seizure;
import io.tandem.backend.trunk.TrunkHunt;
import io.tandem.backend.wake.CallWakes;
import io.tandem.backend.wake.Wake;
import io.tandem.telephony.relay.RtpRelay;
import io.tandem.telephony.relay.RtpRelayPool;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.sip.SipMessages;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
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
    /** A carrier's caller number we pass on as it is (E.164 or national digits); anything else is anonymous. */
    private static final Pattern OUTSIDE_CALLER = Pattern.compile("\\+?[A-Za-z0-9._-]{1,64}");
    private static final String ANONYMOUS = "anonymous";

    /** RFC 4028 §6: Session Interval Too Small. */
    private static final int SESSION_INTERVAL_TOO_SMALL = 422;

    private final Calls calls;
    /** RFC 4028: the interval granted when none is asked for, and the smallest one taken, in seconds. */
    private final long sessionExpires;
    private final long minSessionExpires;
    private final SipAuthenticator authenticator;
    private final TenantResolver tenants;
    private final CallRouter router;
    private final CallAdmission admission;
    private final TransferAdmission transfers;
    private final TrunkSignature trunk;
    private final RtpRelayPool relays;
    private final InetAddress mediaBind;
    private final Redis redis;
    private final CallWakes wakes;
    private final CarrierArrivals arrivals;
    private final OutsideCalls outsideCalls;
    /** Queues and other numbers answered by features of this node; looked up per call (they depend on us). */
    private final Supplier<List<ServiceNumbers>> services;
    private final SrtpTermination srtp;

    B2bua(Calls calls, SipAuthenticator authenticator, TenantResolver tenants, CallRouter router,
            CallAdmission admission, TrunkSignature trunk, RtpRelayPool relays, SipProperties sip, Redis redis,
            Supplier<List<ServiceNumbers>> services, CallWakes wakes, CarrierArrivals arrivals,
            OutsideCalls outsideCalls, TransferAdmission transfers) {
        this.transfers = transfers;
        this.sessionExpires = sip.sessionExpires().toSeconds();
        this.minSessionExpires = sip.minSessionExpires().toSeconds();
        this.wakes = wakes;
        this.arrivals = arrivals;
        this.outsideCalls = outsideCalls;
        this.admission = admission;
        this.calls = calls;
        this.services = services;
        this.redis = redis;
        this.authenticator = authenticator;
        this.tenants = tenants;
        this.router = router;
        this.trunk = trunk;
        this.relays = relays;
        this.srtp = new SrtpTermination(sip.srtp(), sip.tlsRequireSrtp());
        try {
            this.mediaBind = InetAddress.getByName(sip.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("tandem.sip.bind-address: unknown address " + sip.bindAddress(), e);
        }
    }

    @Override
    public Set<String> methods() {
        return Set.of(Request.INVITE, Request.ACK, Request.BYE, Request.CANCEL, Request.INFO, Request.REFER,
                Request.UPDATE, Request.NOTIFY);
    }

    /**
     * A BYE is answered 200 at once ({@link Bridge#onBye}); over UDP its transaction need not sit out Timer J, 32 s,
     * which at 2,000 calls/s alone would hold 64,000 transactions (issue 21).
     */
    @Override
    public Set<String> releasedOnceAnswered() {
        return Set.of(Request.BYE);
    }

    /** The node a consultation's other half is on, and the Replaces naming that half's dialog there. */
    public record FarHalf(String node, String replaces) {
    }

    /** A consultation's other half on this node: the colleague's phone, reached at {@code target}. */
    public record NearHalf(String party, Route.Target target) {
    }

    /**
     * Where a transferee's INVITE must go to replace {@code party}'s consultation dialog {@code replacesValue} names
     * when this node holds that dialog and the consultation's other leg goes over the trunk: that node, and the
     * Replaces naming the trunk dialog as it sees it (RFC 3891 §6.1: its own tag, the to-tag, is our leg's remote
     * tag). That node's B2BUA replaces its half of the consultation with the INVITE ({@link Replacement}) and BYEs
     * the trunk leg, which ends our half. Empty when the dialog is not this node's or not {@code party}'s, the
     * consultation is not answered, or the other party's phone is on this node ({@link #consultationHere}).
     */
    public Optional<FarHalf> consultationOverTrunk(String tenant, String replacesValue, String party) {
        return consulted(tenant, replacesValue, party).flatMap(leg -> {
            synchronized (leg.bridge) {
                Leg other = leg.bridge.other(leg);
                if (other == null || other.target == null || !other.target.viaTrunk()) {
                    return Optional.empty();
                }
                Dialog dialog = other.dialog();
                if (dialog == null || dialog.getLocalTag() == null || dialog.getRemoteTag() == null) {
                    return Optional.empty();
                }
                return Optional.of(new FarHalf(other.target.trunkNode(),
                        new Replaces(other.callId, dialog.getRemoteTag(), dialog.getLocalTag(), false).value()));
            }
        });
    }

    /**
     * The other half of {@code party}'s consultation {@code replacesValue} names when both are on this node and
     * {@code party} called it: the colleague's phone, which {@link #handOver} can join to a feature of this node.
     * Empty when the dialog is not this node's or not {@code party}'s, not answered, or its other party called
     * {@code party}, is reached over the trunk or through a carrier.
     */
    public Optional<NearHalf> consultationHere(String tenant, String replacesValue, String party) {
        return consulted(tenant, replacesValue, party).flatMap(leg -> {
            synchronized (leg.bridge) {
                Leg other = leg.bridge.other(leg);
                return nearHalf(other) ? Optional.of(new NearHalf(other.party, other.target)) : Optional.empty();
            }
        });
    }

    /**
     * The Replaces join of {@code party}'s consultation {@code replacesValue} names, on this node: the colleague
     * ({@link #consultationHere}) is re-INVITEd with {@code offer} and, once it answers, its dialog is handed to
     * {@code taker} for {@code newcomer} while {@code party}'s consultation leg gets a BYE ({@link
     * ConsultationHandover}). Empty when the join started; otherwise why not (the consultation changed since it was
     * found, or a transfer of it is in progress).
     */
    public Optional<TransferAdmission.Refusal> handOver(String tenant, String replacesValue, String party,
            String newcomer, String offer, ConsultationTaker taker) {
        Optional<Leg> consulted = consulted(tenant, replacesValue, party);
        if (consulted.isEmpty()) {
            return Optional.of(new TransferAdmission.Refusal(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                    "The consultation is over"));
        }
        Leg leg = consulted.get();
        Bridge bridge = leg.bridge;
        synchronized (bridge) {
            Leg other = bridge.other(leg);
            if (bridge.state() != Bridge.State.ANSWERED || !nearHalf(other)) {
                return Optional.of(new TransferAdmission.Refusal(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        "The consultation is over"));
            }
            if (bridge.transfer() != null) {
                return Optional.of(new TransferAdmission.Refusal(Response.REQUEST_PENDING,
                        "A transfer is in progress"));
            }
            if (!ConsultationHandover.start(bridge, leg, other, newcomer, offer, taker)) {
                return Optional.of(new TransferAdmission.Refusal(Response.SERVER_INTERNAL_ERROR,
                        "Cannot re-INVITE the colleague"));
            }
            return Optional.empty();
        }
    }

    /** {@code party}'s answered, connected leg of this node that {@code replacesValue} names in {@code tenant}. */
    private Optional<Leg> consulted(String tenant, String replacesValue, String party) {
        Optional<Replaces> named = Replaces.parse(replacesValue);
        Leg leg = named.map(replaces -> calls.find(replaces.callId())).orElse(null);
        if (leg == null || !named.get().names(leg) || !leg.party.equals(party)) {
            return Optional.empty();
        }
        Bridge bridge = leg.bridge;
        synchronized (bridge) {
            return bridge.state() == Bridge.State.ANSWERED && bridge.connects(leg) && bridge.tenant.equals(tenant)
                    ? Optional.of(leg) : Optional.empty();
        }
    }

    /** A callee branch the node INVITEd straight to a phone of this node (no trunk, no carrier), answered. */
    private static boolean nearHalf(Leg other) {
        return other != null && !other.isCaller() && other.branch != null && other.target != null
                && !other.target.viaTrunk() && other.seizure == null && other.dialog() != null && !other.gone;
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
                    bye(leg, in);
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
            case Request.UPDATE -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> MidCall.onUpdate(leg.bridge, leg, st));
                }
            }
            case Request.REFER -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> Transfer.onRefer(leg.bridge, leg, st, router, transfers));
                }
            }
            case Request.NOTIFY -> {
                if (leg == null) {
                    in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                } else {
                    serverTransaction(in).ifPresent(st -> QueueOfferTransfer.onNotify(leg.bridge, leg, st));
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
        if (leg != null) {
            // a ringing branch, the INVITE towards a transfer target, or a re-INVITE of an attended transfer
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
        TrunkSignature.Signed signed = trunk.verify(request);
        if (signed.verdict() == TrunkSignature.Verdict.ABSENT) {
            // A carrier's INVITE for a DID names no extension in From: it is recognised by its source first.
            CarrierArrivals.Arrival arrival = arrivals.arrival(requestUser(request), in.sourceAddress(),
                    fromUser(fromHeader));
            if (arrival instanceof CarrierArrivals.Refused refused) {
                in.respond(refused.status(), refused.reason());
                return;
            }
            if (arrival instanceof CarrierArrivals.Accepted accepted) {
                String caller = fromUser(fromHeader);
                if (accepted.did().target() == Did.Target.PROMPT) {
                    playPrompt(in, accepted, caller != null && OUTSIDE_CALLER.matcher(caller).matches()
                            ? caller : ANONYMOUS);
                    return;
                }
                place(in, new Party(accepted.tenant(), caller != null && OUTSIDE_CALLER.matcher(caller).matches()
                        ? caller : ANONYMOUS, accepted.did().destination(), null, false, accepted.leg()),
                        fromHeader, signed);
                return;
            }
        }
        // A node of the cluster vouches for the caller it signs for: an outside caller of its own (a carrier's DID
        // call, transferred to a phone here) keeps its number; any other INVITE comes from one of our extensions.
        Pattern callers = signed.verdict() == TrunkSignature.Verdict.VALID ? OUTSIDE_CALLER : Keys.EXTENSION;
        if (!(fromHeader.getAddress().getURI() instanceof SipURI from) || from.getUser() == null
                || !callers.matcher(from.getUser()).matches()) {
            in.respond(Response.FORBIDDEN, "From must name an extension of this node");
            return;
        }
        String caller = from.getUser();
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
        place(in, new Party(tenant, caller, target, user, signed.verdict() == TrunkSignature.Verdict.VALID, null),
                fromHeader, signed);
    }

    /** A DID call whose destination is a prompt: the feature playing prompts answers it (SRTP is not taken). */
    private void playPrompt(InboundRequest in, CarrierArrivals.Accepted accepted, String caller) {
        for (ServiceNumbers service : services.get()) {
            if (service.onPromptInvite(in, accepted.tenant(), caller, accepted.did(), accepted.leg())) {
                return;
            }
        }
        log.warn("DID {} of {} plays a prompt, but no feature of this node plays prompts", accepted.did().number(),
                accepted.tenant());
        in.respond(Response.SERVICE_UNAVAILABLE, "No prompt player on this node");
    }

    /**
     * Who calls what: {@code user} is the authenticated caller (null for a trunk or carrier call), {@code viaTrunk}
     * a call signed by another node, {@code carrier} the trunk and DID of a call from the public network.
     */
    private record Party(String tenant, String caller, String target, User user, boolean viaTrunk,
            CarrierLeg carrier) {
    }

    /** The call of an admitted caller: to a service number, an extension, or (an extension's) outside number. */
    private void place(InboundRequest in, Party party, FromHeader fromHeader, TrunkSignature.Signed signed) {
        Request request = in.request();
        String tenant = party.tenant();
        String caller = party.caller();
        String target = party.target();
        User user = party.user();
        boolean viaTrunk = party.viaTrunk();
        boolean joinNumber = target != null && ServiceNumbers.JOIN_NUMBER.matcher(target).matches();
        Header replaces = request.getHeader(Replacement.HEADER);
        if (replaces != null && (user != null || viaTrunk)) {
            // A node forwards only what it was sent by a phone: a forwarded Replaces is applied here or refused.
            if (!viaTrunk && forwardedReplaces(in, party, headerValue(replaces))) {
                return;
            }
            // RFC 3891: this INVITE takes the place of a dialog of ours, whatever its Request-URI names.
            Replacement.onInvite(calls, in, tenant, caller, headerValue(replaces), transfers, viaTrunk,
                    () -> serverTransaction(in));
            return;
        }
        if (user != null && target != null) {
            // Before the number's shape is judged: an app user dialling an outside number (+4930..., which no
            // extension pattern matches) is refused like any other, not told the number does not exist.
            Optional<String> refusal = admission.refusal(tenant, user, target);
            if (refusal.isPresent()) {
                in.respond(Response.FORBIDDEN, refusal.get());
                return;
            }
        }
        boolean extension = target != null && Keys.EXTENSION.matcher(target).matches();
        // Only an authenticated extension may dial a number that is no extension (RFC 3966-style E.164, '+').
        boolean outsideShaped = user != null && target != null && Keys.PHONE_NUMBER.matcher(target).matches();
        if (target == null || !(joinNumber || extension || outsideShaped) || !Keys.TENANT.matcher(tenant).matches()) {
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
        // SRTP from the caller ends here: the rest of the call sees the offer's plain form (SrtpTermination).
        Sdes.Keys callerSrtp = null;
        if (offer.isPresent()) {
            try {
                SrtpTermination.Terminated terminated = srtp.terminate(offer.get(), in.transport());
                if (terminated.keys() != null) {
                    offer = Optional.of(terminated.offer());
                    callerSrtp = terminated.keys();
                }
            } catch (SdesException e) {
                in.respond(Response.NOT_ACCEPTABLE_HERE, e.getMessage());
                return;
            }
        }
        if (offer.isPresent() && !SdpRewriter.relayable(offer.get())) {
            in.respond(Response.NOT_ACCEPTABLE_HERE, "No plain RTP audio stream offered");
            return;
        }
        if (extension || joinNumber) {
            for (ServiceNumbers service : services.get()) {
                if (service.serves(tenant, target)) {
                    if (lateOffer && joinNumber) {
                        // A join's refusal is early media in a 183 (RoomJoins), which needs the caller's offer.
                        in.respond(Response.NOT_ACCEPTABLE_HERE,
                                "An SDP offer is required in the INVITE to this number");
                        return;
                    }
                    if (joinNumber && !viaTrunk && party.carrier() == null
                            && bridgedToRoomNode(in, service, party, offer, callerSrtp)) {
                        return;
                    }
                    if (callerSrtp != null) {
                        service.onSrtpInvite(in, tenant, caller, target, party.carrier(),
                                new CallerSrtp(offer.orElseThrow(), callerSrtp));
                    } else if (party.carrier() != null) {
                        service.onCarrierInvite(in, tenant, caller, target, party.carrier());
                    } else {
                        service.onInvite(in, tenant, caller, target);
                    }
                    return;
                }
            }
        }
        if (joinNumber) {
            in.respond(Response.NOT_FOUND, "No room to join here");
            return;
        }
        // RFC 8599: a callee with push bindings is woken (once per call: by the node it entered, not over the trunk),
        // and one with no live contact waits for its device instead of 480 at once. Its push bindings are asked for
        // before the route, so both reads share one round trip to Redis.
        Supplier<Optional<Wake>> pendingWake = viaTrunk || !extension ? Optional::empty
                : wakes.prepareLater(tenant, target, callId(request), caller,
                        fromHeader.getAddress().getDisplayName());
        Route route = extension ? router.route(tenant, target, viaTrunk) : new Route.Unknown();
        if (route instanceof Route.Unknown) {
            Optional<DialPlan.OutsideNumber> outside = user == null || party.carrier() != null ? Optional.empty()
                    : outsideCalls.outsideNumber(tenant, target);
            if (outside.isPresent()) {
                placeOutside(in, tenant, user, outside.get(), offer, callerSrtp);
            } else {
                in.respond(Response.NOT_FOUND, "No such extension");
            }
            return;
        }
        Optional<Wake> wake = pendingWake.get();
        List<Route.Target> targets = route instanceof Route.Ring ring ? ring.targets() : List.of();
        if (targets.isEmpty() && wake.isEmpty()) {
            in.respond(Response.TEMPORARILY_UNAVAILABLE, "Not registered");
            return;
        }
        Optional<Bridge> opened = open(in, tenant, caller, target, viaTrunk, party.carrier(), callerSrtp);
        if (opened.isEmpty()) {
            return;
        }
        Bridge bridge = opened.get();
        log.debug("call {} {}@{} -> {} ({}): ringing {} target(s){}", bridge.id(), caller, tenant, target,
                viaTrunk ? "trunk from " + signed.origin() : party.carrier() != null ? "carrier " + party.carrier()
                        : "authenticated", targets.size(), wake.isPresent() ? ", waking its devices" : "");
        String tenantOfCall = tenant;
        String callee = target;
        bridge.start(targets, offer, wake, () -> router.route(tenantOfCall, callee, false));
    }

    /**
     * An INVITE with Replaces (RFC 3891) naming a dialog another node holds ({@link DialogIndex}): bridged over the
     * signed trunk to that node, which applies it as its own ({@link Replacement}, the newcomer being our trunk leg)
     * and answers as it would the phone (481, 486, 403 come back as they are). This node's call is the newcomer's:
     * recorded from it to the number it dialled (the replaced party when that is no extension). False when the
     * dialog is this node's, or unknown (then {@link Replacement} answers).
     */
    private boolean forwardedReplaces(InboundRequest in, Party party, String value) {
        Optional<Replaces> replaces = Replaces.parse(value);
        if (replaces.isEmpty() || calls.find(replaces.get().callId()) != null) {
            return false;
        }
        Optional<DialogIndex.Holder> holder = calls.dialogs.holder(party.tenant(), replaces.get());
        if (holder.isEmpty() || holder.get().node().equals(calls.nodeId)) {
            return false;
        }
        Optional<SessionDescription> offer = SdpRewriter.sdpOf(in.request());
        if (offer.isEmpty() || !SdpRewriter.relayable(offer.get())) {
            in.respond(Response.NOT_ACCEPTABLE_HERE, "An SDP offer with plain RTP audio is required");
            return true;
        }
        String number = party.target() != null && Keys.EXTENSION.matcher(party.target()).matches()
                ? party.target() : holder.get().party();
        if (!(router.routeToNode(holder.get().node(), number) instanceof Route.Ring ring)) {
            // RFC 3891 §3: the dialog's node is gone, and the dialog with it.
            in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "The replaced dialog's node is not alive");
            return true;
        }
        Optional<Bridge> opened = open(in, party.tenant(), party.caller(), number, false, null, null);
        if (opened.isPresent()) {
            log.info("call {} {}@{}: Replaces names a dialog of node {} ({}), forwarded over the trunk",
                    opened.get().id(), party.caller(), party.tenant(), holder.get().node(), holder.get().party());
            opened.get().forwardsReplaces(replaces.get().value());
            opened.get().start(ring.targets(), offer, Optional.empty(), Route.Unknown::new);
        }
        return true;
    }

    /**
     * A join number whose room another live node holds: the INVITE is bridged over the signed trunk to that node,
     * which admits it as its own (the caller the trunk names, the token's single use checked there). False when
     * this node answers it itself: its own room, a token that does not verify, or a room's node not alive (the
     * feature's refusal names it).
     */
    private boolean bridgedToRoomNode(InboundRequest in, ServiceNumbers service, Party party,
            Optional<SessionDescription> offer, Sdes.Keys callerSrtp) {
        Optional<ServiceNumbers.RemoteRoom> room = service.roomNode(party.tenant(), party.caller(), party.target());
        if (room.isEmpty() || !(router.routeToNode(room.get().node(), party.target()) instanceof Route.Ring ring)) {
            return false;
        }
        Optional<Bridge> opened = open(in, party.tenant(), party.caller(), party.target(), false, null, callerSrtp);
        if (opened.isPresent()) {
            // recorded as the caller (an agent) joining the room's queue: the dialled number holds the join token
            opened.get().recordAsJoin(room.get().queue(), party.caller());
            log.info("call {} {}@{}: join of a room of queue {} held by node {}, over the trunk", opened.get().id(),
                    party.caller(), party.tenant(), room.get().queue(), room.get().node());
            opened.get().start(ring.targets(), offer, Optional.empty(), Route.Unknown::new);
        }
        return true;
    }

    /**
     * An extension's call to the public network: its permission class is checked before anything is sent (403,
     * nothing reaches a carrier), then the tenant's trunks are hunted; none with a free channel → 503.
     */
    private void placeOutside(InboundRequest in, String tenant, User user, DialPlan.OutsideNumber number,
            Optional<SessionDescription> offer, Sdes.Keys callerSrtp) {
        Optional<String> refusal = outsideCalls.refusal(tenant, user, number);
        if (refusal.isPresent()) {
            in.respond(Response.FORBIDDEN, refusal.get());
            return;
        }
        if (calls.find(callId(in.request())) != null) {
            in.respond(Response.LOOP_DETECTED, "This call is already here");
            return;
        }
        TrunkHunt hunt = outsideCalls.hunt(tenant, user.extension(), number);
        Optional<Seizure> first = hunt.next();
        if (first.isEmpty()) {
            log.warn("outside call {}@{} -> {}: {}", user.extension(), tenant, number.e164(), hunt.exhausted());
            in.respond(Response.SERVICE_UNAVAILABLE, hunt.exhausted());
            return;
        }
        Optional<Bridge> opened = open(in, tenant, user.extension(), number.e164(), false, null, callerSrtp);
        if (opened.isEmpty()) {
            hunt.release(first.get());
            return;
        }
        log.debug("call {} {}@{} -> {} ({}): over trunk {}", opened.get().id(), user.extension(), tenant,
                number.e164(), number.reach(), first.get().trunk());
        opened.get().startHunt(hunt, first.get(), offer);
    }

    /**
     * The call's bridge: server transaction, relay, dialog, registered and counted, 100 Trying sent. Empty when one
     * of them failed (the caller has been answered).
     */
    private Optional<Bridge> open(InboundRequest in, String tenant, String caller, String target, boolean viaTrunk,
            CarrierLeg carrier, Sdes.Keys callerSrtp) {
        Request request = in.request();
        if (calls.find(callId(request)) != null) {
            // RFC 3261 §8.2.2.2: a second INVITE of a call this node already carries (a loop or a merged fork).
            in.respond(Response.LOOP_DETECTED, "This call is already here");
            return Optional.empty();
        }
        SessionTimer.Terms timer = SessionTimer.negotiate(request, sessionExpires, minSessionExpires);
        if (timer instanceof SessionTimer.TooSmall tooSmall) {
            // RFC 4028 §9: 422 with the smallest interval we take; the caller may try again with it.
            Response response = in.messages().responseTo(request, SESSION_INTERVAL_TOO_SMALL, "Session Interval Too Small");
            try {
                response.setHeader(in.messages().headers().createHeader(SessionTimer.MIN_SE,
                        Long.toString(tooSmall.minSe())));
            } catch (ParseException e) {
                throw new IllegalStateException("Min-SE of " + tooSmall.minSe(), e);
            }
            in.respond(response);
            return Optional.empty();
        }
        Optional<ServerTransaction> st = serverTransaction(in);
        if (st.isEmpty()) {
            return Optional.empty();
        }
        RtpRelay relay;
        try {
            relay = relays.open(mediaBind, mediaBind);
        } catch (IOException e) {
            log.warn("INVITE {} -> {}: {}", caller, target, e.getMessage());
            in.respond(Response.SERVICE_UNAVAILABLE, "No media ports available");
            return Optional.empty();
        }
        Bridge bridge = new Bridge(calls, tenant, caller, target, viaTrunk, callId(request), relay, carrier, srtp);
        Leg callerLeg = bridge.callerLeg;
        if (callerSrtp != null) {
            callerLeg.srtp = callerSrtp;
            relay.legA().secure(callerSrtp);
        }
        callerLeg.inviteSt = st.get();
        callerLeg.invite = request;
        callerLeg.toTag = SipMessages.newToken();
        try {
            callerLeg.dialog = calls.signalling.endpoint().provider().getNewDialog(st.get());
        } catch (Exception e) {
            relay.close();
            log.warn("INVITE {} -> {}: cannot create the dialog: {}", caller, target, e.getMessage());
            in.respond(Response.SERVER_INTERNAL_ERROR, "Cannot create the dialog");
            return Optional.empty();
        }
        if (timer instanceof SessionTimer.Granted granted) {
            callerLeg.sessionTimer = new SessionTimer(bridge, callerLeg, granted);
        }
        calls.register(callerLeg);
        calls.started(bridge);
        calls.signalling.respond(callerLeg, st.get(), Response.TRYING, null, null);
        return Optional.of(bridge);
    }

    /** A header's value: what follows its name and colon. */
    private static String headerValue(Header header) {
        String text = header.toString().strip();
        return text.substring(text.indexOf(':') + 1).strip();
    }

    /** The user part of the Request-URI (the dialled number), or null. */
    private static String requestUser(Request request) {
        return request.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
    }

    /** The user part of From, or null. */
    private static String fromUser(FromHeader from) {
        return from != null && from.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : null;
    }

    /** A signed INVITE is accepted once: its signature is remembered for as long as it is valid. */
    private boolean firstUse(TrunkSignature.Signed signed) {
        String set = redis.commands().set(Keys.trunkSignature(signed.signature()), "1",
                SetArgs.Builder.nx().px(trunk.validityMillis() * 2));
        return "OK".equals(set);
    }

    /**
     * A BYE goes to whoever holds its dialog when the BYE is handled, not when its leg was found: while it waited for
     * the call's monitor, the colleague's dialog may have been handed to a queue call of this node ({@link
     * ConsultationHandover}), and answering it from the ended consultation would leave the queue's caller talking to
     * nobody. The server transaction is made only once the owner is known, since a request gets one only once.
     */
    private void bye(Leg leg, InboundRequest in) {
        synchronized (leg.bridge) {
            if (!leg.handedOn) {
                serverTransaction(in).ifPresent(st -> leg.bridge.onBye(leg, st));
                return;
            }
        }
        for (ServiceNumbers service : services.get()) {
            if (service.owns(leg.callId)) {
                service.onRequest(in);
                return;
            }
        }
        in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null); // the taker is over too
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
