package io.tandem.telephony.sip;

import gov.nist.core.StackLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * Routes JAIN-SIP RI's stack log to SLF4J, so the RI never reaches for log4j 1.x (which its
 * pom declares {@code provided} and we do not ship). Installed through the stack property
 * {@code gov.nist.javax.sip.STACK_LOGGER}; the RI instantiates it by reflection.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip.stack");

    public Slf4jStackLogger() {
        // instantiated reflectively by the RI
    }

    @Override
    public void logStackTrace() {
        if (LOG.isDebugEnabled()) {
            LOG.debug("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message) {
        if (isScannerStoppedByClose(message)) {
            LOG.debug("event scanner stopped by endpoint close");
            return;
        }
        LOG.error(message);
    }

    /**
     * SipEndpoint.close() interrupts the RI's parked EventScannerThread on purpose (the RI's own
     * stop leaves it parked forever); the RI reports that wake-up as an error. It is not one.
     */
    private static boolean isScannerStoppedByClose(String message) {
        return "Interrupted!".equals(message) && "EventScannerThread".equals(Thread.currentThread().getName());
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isInfoEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel >= TRACE_TRACE) {
            return LOG.isTraceEnabled();
        }
        if (logLevel >= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        }
        if (logLevel >= TRACE_INFO) {
            return LOG.isInfoEnabled();
        }
        if (logLevel >= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return logLevel > TRACE_NONE && LOG.isErrorEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        if (isScannerStoppedByClose(message) && ex instanceof InterruptedException) {
            LOG.debug("event scanner stopped by endpoint close");
            return;
        }
        LOG.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        // The RI warns at every start that TLS is not configured; we listen on UDP and TCP only.
        if (message != null && (message.contains("tls") || message.contains("TLS") || message.contains("keystore")
                || message.contains("truststore"))) {
            LOG.debug(message);
        } else {
            LOG.warn(message);
        }
    }

    @Override
    public void logInfo(String message) {
        LOG.info(message);
    }

    @Override
    public void disableLogging() {
        // levels are SLF4J's business
    }

    @Override
    public void enableLogging() {
        // levels are SLF4J's business
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to configure: SLF4J decides where lines go
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
