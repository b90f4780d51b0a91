package io.tandem.agent.engine.pjsua2;

import org.pjsip.pjsua2.LogEntry;
import org.pjsip.pjsua2.LogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PJSIP's log into SLF4J: its errors and warnings as such, its chatty levels (3 and up) at debug. */
final class Pjsua2Log extends LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger("pjsip");

    @Override
    public void write(LogEntry entry) {
        String message = entry.getMsg().stripTrailing();
        switch (entry.getLevel()) {
            case 0, 1 -> LOG.error(message);
            case 2 -> LOG.warn(message);
            default -> LOG.debug(message);
        }
    }
}
