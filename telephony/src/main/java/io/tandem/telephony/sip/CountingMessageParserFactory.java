package io.tandem.telephony.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.tandem.telephony.sip.framing.FramingCheckingParserFactory;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RI's parser behind {@link FramingCheckingParserFactory}, wrapped so that every message the
 * stack refuses as malformed is counted per stack instead of vanishing silently: a parse or
 * framing failure (the RI then answers 400 where it can form a response, else drops it), or a
 * message without one of the headers RFC 3261 §8.1.1 makes mandatory (the RI discards those
 * before any listener sees them), or a request whose CSeq names another method (the RI answers
 * 400 itself). The RI instantiates this class by name
 * ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}), hence the registry keyed by stack name.
 */
public final class CountingMessageParserFactory implements MessageParserFactory {
    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    public CountingMessageParserFactory() {
        // instantiated reflectively by the RI
    }

    static AtomicLong counterFor(String stackName) {
        return COUNTERS.computeIfAbsent(stackName, n -> new AtomicLong());
    }

    static void forget(String stackName) {
        COUNTERS.remove(stackName);
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        // The RI hands us the stack; only SipStackImpl knows its name.
        AtomicLong counter = counterFor(stack instanceof javax.sip.SipStack s ? s.getStackName() : "unnamed");
        // Framing defects the stock parser would hide become parse errors first (wt/sdp's FramingCheck).
        MessageParser delegate = new FramingCheckingParserFactory().createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            SIPMessage message;
            try {
                message = delegate.parseSIPMessage(bytes, readBody, strict, listener);
            } catch (ParseException | RuntimeException e) {
                counter.incrementAndGet();
                throw e instanceof ParseException pe ? pe : new ParseException(String.valueOf(e.getMessage()), 0);
            }
            if (message != null && (message.getFrom() == null || message.getTo() == null
                    || message.getCallId() == null || message.getCSeq() == null || message.getViaHeaders() == null)) {
                counter.incrementAndGet();
            } else if (message instanceof SIPRequest request
                    && !request.getMethod().equalsIgnoreCase(request.getCSeq().getMethod())) {
                // RFC 3261 §8.1.1.5: the RI itself answers 400 to a CSeq naming another method,
                // before any listener (and so our RequestValidator) sees the request.
                counter.incrementAndGet();
            }
            return message;
        };
    }
}
