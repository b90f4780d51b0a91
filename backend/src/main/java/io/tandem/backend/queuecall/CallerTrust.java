package io.tandem.backend.queuecall;

import io.micrometer.core.instrument.Counter;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whose caller details ({@code X-Tandem-Priority}, {@code -Skills}, {@code -Data}) a queue believes: a signed
 * inter-node request's (the B2BUA refused one whose signature does not verify before handing it to us) and a
 * trusted proxy's (by the packet's source, not Via). Anyone else's are ignored and counted.
 */
final class CallerTrust {

    private static final Logger log = LoggerFactory.getLogger(CallerTrust.class);

    private final TrustedProxies proxies;
    private final Counter untrusted;

    CallerTrust(TrustedProxies proxies, Counter untrusted) {
        this.proxies = proxies;
        this.untrusted = untrusted;
    }

    /** The details of {@code invite} as far as they are believed; Malformed when a trusted source sent bad ones. */
    CallerDetails detailsOf(Request invite, boolean trunk, String source, String callId)
            throws CallerDetails.Malformed {
        if (!CallerDetails.present(invite)) {
            return CallerDetails.NONE;
        }
        if (trunk || proxies.contains(source)) {
            return CallerDetails.parse(invite);
        }
        untrusted.increment();
        log.info("queue call {}: caller headers from untrusted {} ignored", callId, source);
        return CallerDetails.NONE;
    }
}
