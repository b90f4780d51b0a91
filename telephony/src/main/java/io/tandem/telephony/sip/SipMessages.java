package io.tandem.telephony.sip;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds SIP messages from JAIN-SIP factories by copying mandatory headers, never by string
 * concatenation (RFC 3261 §8.1.1 for requests, §8.2.6 for responses).
 */
public final class SipMessages {
    /** RFC 3261 §8.1.1.6: 70 hops. */
    public static final int MAX_FORWARDS = 70;
    /** RFC 3261 §8.1.1.7: every branch starts with this magic cookie. */
    private static final String BRANCH_COOKIE = "z9hG4bK";

    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;
    private final InetAddress localAddress;
    private final int localPort;
    private volatile int tlsPort;
    private final String userAgent;

    SipMessages(HeaderFactory headers, AddressFactory addresses, MessageFactory messages,
                InetAddress localAddress, int localPort, String userAgent) {
        this.headers = headers;
        this.addresses = addresses;
        this.messages = messages;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.userAgent = userAgent;
    }

    /** A random token for From/To tags and Call-IDs (RFC 3261 §19.3: at least 32 bits of randomness). */
    public static String newToken() {
        byte[] b = new byte[8];
        ThreadRandom.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String newBranch() {
        return BRANCH_COOKIE + newToken();
    }

    /** A response with the reason phrase RFC 3261 §21 gives the status. */
    public Response responseTo(Request request, int status) {
        return responseTo(request, status, null, null);
    }

    public Response responseTo(Request request, int status, String reason) {
        return responseTo(request, status, reason, null);
    }

    /**
     * A response copying Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2). For a status above
     * 100 a To tag is added when the request has none: {@code toTag} when given (so every
     * response of one dialog carries the same tag), else a fresh one.
     */
    public Response responseTo(Request request, int status, String reason, String toTag) {
        try {
            Response response = messages.createResponse(status, request);
            if (reason != null && !reason.isBlank()) {
                response.setReasonPhrase(reason);
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status > 100 && to != null && to.getTag() == null) {
                to.setTag(toTag != null ? toTag : newToken());
            }
            if (userAgent != null) {
                response.setHeader(headers.createServerHeader(List.of(userAgent)));
            }
            return response;
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot build " + status + " response: " + e.getMessage(), e);
        }
    }

    /**
     * A header sent as {@code name: value} without being parsed: for a value this node composed itself (a digest
     * challenge), which the factory's {@code createHeader} would parse only to encode the same text again. Read back
     * in this process it is an {@link ExtensionHeader}, not the header type its name has; on the wire it is the same.
     */
    public static Header verbatim(String name, String value) {
        ExtensionHeaderImpl header = new ExtensionHeaderImpl(name);
        header.setValue(value);
        return header;
    }

    /** The TLS listening port, 0 for none; set once by the endpoint that owns these messages. */
    void tlsPort(int port) {
        this.tlsPort = port;
    }

    /** The port we listen on for {@code transport}: the TLS one for TLS, else the UDP/TCP one. */
    public int portFor(String transport) {
        return "tls".equalsIgnoreCase(transport) && tlsPort != 0 ? tlsPort : localPort;
    }

    /** Our Contact: {@code <sip:user@address:port;transport=...>}. */
    public ContactHeader contact(String user, String transport) {
        try {
            SipURI uri = addresses.createSipURI(user, localAddress.getHostAddress());
            uri.setPort(portFor(transport));
            if (transport != null && !"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport.toLowerCase(java.util.Locale.ROOT));
            }
            return headers.createContactHeader(addresses.createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad contact user " + user, e);
        }
    }

    /**
     * A request outside any dialog (RFC 3261 §8.1.1): Request-URI, To (no tag), From with our
     * tag, a new Call-ID or the given one, CSeq, Via with a fresh branch, Max-Forwards 70,
     * Contact and User-Agent.
     */
    public Request outOfDialog(String method, URI requestUri, Address from, String fromTag, Address to,
                               String callId, long cseq, String transport, String contactUser) {
        try {
            ViaHeader via = headers.createViaHeader(localAddress.getHostAddress(), portFor(transport),
                    transport == null ? "udp" : transport, newBranch());
            via.setRPort();
            FromHeader fromHeader = headers.createFromHeader(from, fromTag);
            ToHeader toHeader = headers.createToHeader(to, null);
            CallIdHeader callIdHeader = headers.createCallIdHeader(callId != null ? callId : newToken() + "@tandem");
            CSeqHeader cseqHeader = headers.createCSeqHeader(cseq, method);
            MaxForwardsHeader maxForwards = headers.createMaxForwardsHeader(MAX_FORWARDS);
            Request request = messages.createRequest(requestUri, method, callIdHeader, cseqHeader, fromHeader,
                    toHeader, List.of(via), maxForwards);
            if (contactUser != null) {
                request.setHeader(contact(contactUser, transport));
            }
            if (userAgent != null) {
                request.setHeader(headers.createUserAgentHeader(List.of(userAgent)));
            }
            return request;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + ": " + e.getMessage(), e);
        }
    }

    /**
     * A request inside {@code dialog} (RFC 3261 §12.2.1.1): the dialog supplies Call-ID, tags,
     * route set, remote target and the next CSeq; we add Max-Forwards, Contact and User-Agent.
     */
    public Request inDialog(Dialog dialog, String method, String contactUser, String transport) throws SipException {
        Request request = dialog.createRequest(method);
        try {
            if (request.getHeader(MaxForwardsHeader.NAME) == null) {
                request.setHeader(headers.createMaxForwardsHeader(MAX_FORWARDS));
            }
        } catch (javax.sip.InvalidArgumentException e) {
            throw new SipException("bad Max-Forwards", e);
        }
        if (contactUser != null) {
            request.setHeader(contact(contactUser, transport));
        }
        if (userAgent != null) {
            try {
                request.setHeader(headers.createUserAgentHeader(List.of(userAgent)));
            } catch (ParseException e) {
                throw new SipException("bad User-Agent", e);
            }
        }
        return request;
    }

    /** Sets a body with its Content-Type ({@code type/subtype}). */
    public void setBody(javax.sip.message.Message message, String contentType, String body) {
        int slash = contentType.indexOf('/');
        try {
            ContentTypeHeader ct = headers.createContentTypeHeader(contentType.substring(0, slash),
                    contentType.substring(slash + 1));
            message.setContent(body, ct);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad content type " + contentType, e);
        }
    }

    /** The body as text (SIP bodies we read — SDP, sipfrag, dtmf-relay — are UTF-8 text). */
    public static String bodyText(javax.sip.message.Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? "" : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The Content-Type as {@code type/subtype} in lower case, or empty. */
    public static String contentType(javax.sip.message.Message message) {
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        if (ct == null) {
            return "";
        }
        return (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(java.util.Locale.ROOT);
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    public MessageFactory factory() {
        return messages;
    }
}
