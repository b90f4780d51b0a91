package io.tandem.telephony.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipStack;
import java.util.Properties;

/**
 * JAIN-SIP RI's message trace ({@code gov.nist.javax.sip.SERVER_LOGGER}) on SLF4J: every
 * message sent and received at DEBUG on logger {@code gov.nist.javax.sip.messages}, so a
 * SIP trace is one logback switch away and costs nothing when off.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip.messages");

    public Slf4jServerLogger() {
        // instantiated reflectively by the RI
    }

    @Override
    public void closeLogFile() {
        // no file
    }

    /** For a message sent already encoded, past the RI's channels: the same trace line as the RI's would be. */
    static void sent(String encoded, String from, String to) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("sent {} -> {}\n{}", from, to, encoded);
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, sender, 0);
    }

    @Override
    public void logException(Exception ex) {
        LOG.debug("JAIN-SIP message exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to configure
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
