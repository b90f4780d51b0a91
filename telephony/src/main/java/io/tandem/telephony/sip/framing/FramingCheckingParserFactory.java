package io.tandem.telephony.sip.framing;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.tandem.telephony.sip.Rejection;

import java.text.ParseException;
import java.util.Optional;

/**
 * JAIN-SIP parser factory that runs {@link FramingCheck} before the stock parser, so requests whose defects the
 * stock parser hides (duplicate CSeq/Call-ID/From/To/Content-Length, extra whitespace in the Request-Line...) fail
 * to parse like any other malformed message: the stack answers 400 where it can form a response, else drops it.
 * Install with the stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY} set to this class name.
 */
public final class FramingCheckingParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new CheckingParser();
    }

    /** One per channel (the stock parser keeps per-message state, so instances are not shared across threads). */
    static final class CheckingParser implements MessageParser {
        private final StringMsgParser delegate = new StringMsgParser();

        @Override
        public SIPMessage parseSIPMessage(byte[] msgBuffer, boolean readBody, boolean strict,
                                          ParseExceptionListener exhandler) throws ParseException {
            // UDP hands over a whole datagram with readBody=true; TCP hands over the header section only.
            Optional<Rejection> r = FramingCheck.check(msgBuffer, readBody);
            if (r.isPresent()) {
                throw new ParseException(r.get().reason(), 0);
            }
            try {
                return delegate.parseSIPMessage(msgBuffer, readBody, strict, exhandler);
            } catch (ParseException e) {
                throw new ParseException(reasonPhrase(e.getMessage()), e.getErrorOffset());
            }
        }
    }

    /** Longest reason we let into a status line. */
    private static final int MAX_REASON = 80;

    /**
     * The stack puts the exception message into its automatic {@code 400 Bad Request (...)} status line. JAIN-SIP's
     * own messages carry the offending line, a newline and sometimes a char[] identity ("[C@12bb04d2\nID expected"),
     * which would break the status line: keep the last line, printable ASCII only.
     */
    static String reasonPhrase(String message) {
        String m = message == null ? "" : message.trim();
        int nl = m.lastIndexOf('\n');
        if (nl >= 0) {
            m = m.substring(nl + 1).trim();
        }
        if (m.startsWith(":")) {
            m = m.substring(1).trim();
        }
        StringBuilder sb = new StringBuilder(Math.min(m.length(), MAX_REASON));
        for (int i = 0; i < m.length() && sb.length() < MAX_REASON; i++) {
            char c = m.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        String reason = sb.toString().trim();
        return reason.isEmpty() ? "Malformed message" : "Malformed message: " + reason;
    }
}
