package io.tandem.telephony.sip;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentLengthHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderAddress;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks every incoming request passes before a feature sees it (RFC 3261 §8.2, RFC 4475 torture corpus; the
 * verdict per corpus file is in {@code telephony/src/test/resources/sip-torture/README.md} and {@code SipTortureTest}).
 * Works on what JAIN-SIP parsed; faults the parser hides from the parsed form (duplicate single-value headers,
 * whitespace in the Request-Line...) are caught before parsing by
 * {@link io.tandem.telephony.sip.framing.FramingCheckingParserFactory}. Stateless and thread-safe.
 *
 * <p>Order follows RFC 3261 §8.2: mandatory headers and version first, then method/URI, extensions, body.
 * For ACK the endpoint discards instead of answering (RFC 3261 §17.2.3).
 */
public final class RequestValidator {
    /** RFC 3261 §8.1.1: every request carries these (Max-Forwards is tolerated missing for RFC 2543 peers). */
    private static final List<String> MANDATORY = List.of(ViaHeader.NAME, FromHeader.NAME, ToHeader.NAME,
            CallIdHeader.NAME, CSeqHeader.NAME);
    /** URI schemes we can route: RFC 3261 sip/sips, RFC 3966 tel. */
    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");
    /** Methods whose body is a session description we must understand (RFC 3261 §13.2.1, RFC 3311, RFC 3262). */
    private static final Set<String> SDP_METHODS = Set.of(Request.INVITE, "UPDATE", "PRACK");
    /** Methods a hop-by-hop element answers itself even with Max-Forwards 0 (RFC 3261 §11, §10, §9). */
    private static final Set<String> LOCAL_METHODS = Set.of(Request.OPTIONS, Request.REGISTER, Request.ACK,
            Request.CANCEL);

    private final Set<String> supportedOptions;
    private final boolean forwards;

    /** An endpoint that supports no SIP extension and never forwards (a UA; RFC 4475 §3.3.11 zeromf is processed). */
    public RequestValidator() {
        this(Set.of(), false);
    }

    /**
     * @param supportedOptions option tags this element implements; a {@code Require} naming any other gets 420
     * @param forwards         true for an element that relays initial requests onward (the B2BUA/trunk side): an
     *                         initial request other than OPTIONS/REGISTER with {@code Max-Forwards: 0} then gets 483
     */
    public RequestValidator(Set<String> supportedOptions, boolean forwards) {
        this.supportedOptions = supportedOptions.stream().map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.forwards = forwards;
    }

    /** Empty when the request may be processed; otherwise the status and reason to answer with. */
    public Optional<Rejection> validate(Request request) {
        if (request == null) {
            return reject(400, "Unparseable request");
        }
        try {
            return firstProblem(request);
        } catch (RuntimeException e) {
            // A parsed message with an odd shape must become an answer, never an exception on a stack thread.
            return reject(400, "Malformed request");
        }
    }

    private Optional<Rejection> firstProblem(Request request) {
        for (String name : MANDATORY) {
            if (request.getHeader(name) == null) {
                return reject(400, "Missing " + name + " header");
            }
        }
        Optional<Rejection> r = version(request);
        if (r.isPresent()) {
            return r;
        }
        String method = request.getMethod();
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        // JAIN-SIP upper-cases the CSeq method of an extension method, so compare without case.
        if (!method.equalsIgnoreCase(cseq.getMethod())) {
            return reject(400, "CSeq method does not match the request method");
        }
        r = requestUri(request.getRequestURI());
        if (r.isPresent()) {
            return r;
        }
        r = addresses(request);
        if (r.isPresent()) {
            return r;
        }
        r = maxForwards(request);
        if (r.isPresent()) {
            return r;
        }
        r = require(request);
        if (r.isPresent()) {
            return r;
        }
        return body(request);
    }

    /**
     * RFC 3261 §8.2 / §21.5.6: anything but SIP/2.0 gets 505. JAIN-SIP 1.3 normalises the Request-Line version to
     * SIP/2.0 while parsing, so the sender's top Via (same version by RFC 3261 §8.1.1.7) is the reliable witness.
     */
    private static Optional<Rejection> version(Request request) {
        if (request instanceof gov.nist.javax.sip.message.SIPRequest sip
                && sip.getRequestLine() != null && !"SIP/2.0".equals(sip.getRequestLine().getSipVersion())) {
            return reject(505, "SIP Version Not Supported");
        }
        ViaHeader top = (ViaHeader) request.getHeader(ViaHeader.NAME);
        String protocol = top instanceof gov.nist.javax.sip.header.Via via
                ? via.getSentProtocol().getProtocolName() + "/" + via.getProtocolVersion()
                : top.getProtocol();
        if (protocol == null || !protocol.trim().equalsIgnoreCase("SIP/2.0")) {
            return reject(505, "SIP Version Not Supported");
        }
        return Optional.empty();
    }

    /** RFC 3261 §8.2.2.1: a Request-URI scheme we do not understand gets 416. */
    private static Optional<Rejection> requestUri(URI uri) {
        if (uri == null) {
            return reject(400, "Missing Request-URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return reject(416, "Unsupported URI Scheme");
        }
        return Optional.empty();
    }

    /**
     * RFC 3261 §10.3 (a registrar needs a SIP/SIPS address-of-record in To, RFC 4475 §3.3.4) and §20.10 (a URI with
     * headers must be in {@code <>}; when it is not, the "headers" were meant for another element, RFC 4475 §3.1.2.13).
     */
    private static Optional<Rejection> addresses(Request request) {
        if (Request.REGISTER.equals(request.getMethod())) {
            URI aor = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
            if (!(aor instanceof SipURI)) {
                return reject(400, "To of a REGISTER must be a SIP or SIPS URI");
            }
        }
        List<HeaderAddress> addresses = new ArrayList<>();
        addresses.add((HeaderAddress) request.getHeader(FromHeader.NAME));
        addresses.add((HeaderAddress) request.getHeader(ToHeader.NAME));
        Iterator<?> contacts = request.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            addresses.add((HeaderAddress) contacts.next());
        }
        for (HeaderAddress h : addresses) {
            Address a = h.getAddress();
            if (a instanceof gov.nist.javax.sip.address.AddressImpl impl
                    && impl.getAddressType() == gov.nist.javax.sip.address.AddressImpl.ADDRESS_SPEC
                    && a.getURI() instanceof SipURI sip && sip.getHeaderNames() != null
                    && sip.getHeaderNames().hasNext()) {
                return reject(400, "URI with headers must be enclosed in <>");
            }
        }
        return Optional.empty();
    }

    /** RFC 3261 §16.3 item 2: no hop left for a request we would relay. */
    private Optional<Rejection> maxForwards(Request request) {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (!forwards || mf == null || mf.getMaxForwards() > 0 || LOCAL_METHODS.contains(request.getMethod())) {
            return Optional.empty();
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (to.getTag() != null) {
            return Optional.empty(); // in-dialog: ends here
        }
        return reject(483, "Too Many Hops");
    }

    /** RFC 3261 §8.2.2.3: 420 with Unsupported listing what we lack; never for ACK and CANCEL. */
    private Optional<Rejection> require(Request request) {
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method)) {
            return Optional.empty();
        }
        List<String> unsupported = new ArrayList<>();
        Iterator<?> it = request.getHeaders(RequireHeader.NAME);
        while (it.hasNext()) {
            String tag = ((RequireHeader) it.next()).getOptionTag();
            if (tag != null && !supportedOptions.contains(tag.trim().toLowerCase(Locale.ROOT))) {
                unsupported.add(tag.trim());
            }
        }
        return unsupported.isEmpty() ? Optional.empty()
                : Optional.of(new Rejection(420, "Bad Extension", unsupported));
    }

    /**
     * RFC 3261 §8.2.3 and §20.14: the body must be as long as Content-Length says, typed, and for session methods
     * SDP (415 otherwise); an INVITE whose Accept excludes SDP cannot be answered with a session (406, RFC 4475 §3.3.15).
     */
    private static Optional<Rejection> body(Request request) {
        byte[] content = request.getRawContent();
        int length = content == null ? 0 : content.length;
        ContentLengthHeader cl = (ContentLengthHeader) request.getHeader(ContentLengthHeader.NAME);
        if (cl != null && cl.getContentLength() != length) {
            return reject(400, "Content-Length does not match the body");
        }
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        String method = request.getMethod();
        if (length > 0 && type == null) {
            return reject(400, "Missing Content-Type header");
        }
        if (SDP_METHODS.contains(method)) {
            if (length > 0 && !isSdp(type)) {
                return reject(415, "Unsupported Media Type");
            }
            if (Request.INVITE.equals(method) && !acceptsSdp(request)) {
                return reject(406, "Not Acceptable");
            }
        }
        return Optional.empty();
    }

    private static boolean isSdp(ContentTypeHeader type) {
        return "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType());
    }

    /** RFC 3261 §20.1: no Accept header means application/sdp; a present one must cover it. */
    private static boolean acceptsSdp(Request request) {
        Iterator<?> it = request.getHeaders(AcceptHeader.NAME);
        if (!it.hasNext()) {
            return true;
        }
        while (it.hasNext()) {
            AcceptHeader a = (AcceptHeader) it.next();
            String type = a.getContentType() == null ? "" : a.getContentType();
            String sub = a.getContentSubType() == null ? "" : a.getContentSubType();
            if ((type.equals("*") || type.equalsIgnoreCase("application"))
                    && (sub.equals("*") || sub.equalsIgnoreCase("sdp"))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Rejection> reject(int status, String reason) {
        return Optional.of(new Rejection(status, reason));
    }
}
