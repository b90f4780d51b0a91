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
            return delegate.parseSIPMessage(msgBuffer, readBody, strict, exhandler);
        }
    }
}
