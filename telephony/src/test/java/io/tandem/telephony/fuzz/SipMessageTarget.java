package io.tandem.telephony.fuzz;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import io.tandem.telephony.sip.Rejection;
import io.tandem.telephony.sip.RequestValidator;
import io.tandem.telephony.sip.Slf4jStackLogger;
import io.tandem.telephony.sip.framing.FramingCheckingParserFactory;

import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The path of a UDP datagram into a node: our parser ({@link FramingCheckingParserFactory}, the framing check in
 * front of JAIN-SIP's), the stack's mandatory-header gate, then {@link RequestValidator}; a rejection is built into
 * the response the node sends, and encoded. A {@link ParseException} is the parser's documented refusal: the stack
 * answers a request 400 and drops a response, and {@code CountingMessageParserFactory} counts both.
 */
public final class SipMessageTarget implements FuzzTarget {
    /** What gov.nist UDPMessageChannel.handleException does: fatal for the framing headers, else keep as unparsed. */
    private static final Set<Class<?>> FATAL = Set.of(From.class, To.class, CSeq.class, Via.class, CallID.class,
            ContentLength.class, RequestLine.class, StatusLine.class);
    private static final ParseExceptionListener STACK_LIKE_LISTENER = (ex, message, headerClass, header, text) -> {
        if (headerClass != null && FATAL.contains(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    };

    static {
        // A node's stack installs its logger when it starts (SipEndpoint's STACK_LOGGER); without a stack, the parser's
        // error logging falls back to log4j 1, which is not on the classpath, and fails with NoClassDefFoundError.
        if (CommonLogger.legacyLogger == null) {
            CommonLogger.legacyLogger = new Slf4jStackLogger();
        }
    }

    private final MessageParser parser = new FramingCheckingParserFactory().createMessageParser(null);
    private final RequestValidator validator = new RequestValidator();
    private final MessageFactoryImpl responses = new MessageFactoryImpl();
    private final List<byte[]> seeds;

    public SipMessageTarget(List<byte[]> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    @Override
    public String name() {
        return "SIP message";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public ParseOutcome parse(byte[] input) throws Exception {
        SIPMessage message;
        try {
            message = parser.parseSIPMessage(input, true, false, STACK_LIKE_LISTENER);
        } catch (ParseException e) {
            return startsWith(input, "SIP/") ? ParseOutcome.DROPPED : ParseOutcome.REJECTED;
        }
        if (message == null || message.getFrom() == null || message.getTo() == null || message.getCallId() == null
                || message.getCSeq() == null || message.getViaHeaders() == null) {
            // gov.nist drops these before any listener sees them, and CountingMessageParserFactory counts them.
            return ParseOutcome.DROPPED;
        }
        if (message instanceof SIPResponse response) {
            response.getStatusCode();
            return ParseOutcome.ACCEPTED;
        }
        SIPRequest request = (SIPRequest) message;
        if (!request.getMethod().equalsIgnoreCase(request.getCSeq().getMethod())) {
            return ParseOutcome.REJECTED; // RFC 3261 §8.1.1.5: the RI itself answers 400
        }
        Optional<Rejection> rejection = validator.validate(request);
        if (rejection.isEmpty()) {
            return ParseOutcome.ACCEPTED;
        }
        int status = rejection.get().status();
        if ((status < 400 || status > 499) && status != Response.VERSION_NOT_SUPPORTED) {
            throw new IllegalStateException("validator rejected with " + status + ", not a 4xx or 505");
        }
        // What SipEndpoint sends: SipMessages.responseTo over the same factory, with a To tag, then encoded.
        Response response = responses.createResponse(status, request);
        response.setReasonPhrase(rejection.get().reason());
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() == null) {
            to.setTag("fuzz");
        }
        response.toString();
        return ParseOutcome.REJECTED;
    }

    private static boolean startsWith(byte[] input, String prefix) {
        if (input.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (input[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
