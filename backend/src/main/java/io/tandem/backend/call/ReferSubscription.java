package io.tandem.backend.call;

import io.tandem.backend.node.sip.ReferProgress;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implicit subscription a REFER creates (RFC 3515 §2.4.4) as the transferor sees it: NOTIFYs with the new call's
 * status as a sipfrag, and the transferor's leg ended by the node when it stays after the final one (RFC 5589 §6.1
 * expects it to hang up). Called under the monitor of the transferor's bridge.
 */
final class ReferSubscription {

    private static final Logger log = LoggerFactory.getLogger(ReferSubscription.class);
    /** How long the transferor may keep its leg after the successful NOTIFY before the node sends BYE. */
    private static final long TRANSFEROR_BYE_GRACE_SECONDS = 4;
    private static final String SIPFRAG = ReferProgress.CONTENT_TYPE + "/" + ReferProgress.CONTENT_SUBTYPE;

    private final Bridge bridge;
    private final Leg transferor;

    ReferSubscription(Bridge bridge, Leg transferor) {
        this.bridge = bridge;
        this.transferor = transferor;
    }

    /** A NOTIFY of the refer subscription; the last one ({@code terminated}) ends it. */
    void notifyTransferor(int status, String reason, boolean terminated) {
        if (transferor.gone) {
            return;
        }
        HeaderFactory headers = bridge.calls.signalling.endpoint().messages().headers();
        try {
            bridge.calls.signalling.inDialog(transferor, Request.NOTIFY, SIPFRAG,
                    ReferProgress.body(status, reason), ReferProgress.headers(headers, terminated));
        } catch (ParseException | InvalidArgumentException e) {
            log.warn("call {}: cannot build the NOTIFY: {}", bridge.id(), e.getMessage());
        }
    }

    /** The transfer succeeded: 200 in the last NOTIFY; the transferor's leg is ended after a grace if it stays. */
    void succeeded() {
        if (transferor.gone) {
            return;
        }
        notifyTransferor(200, "OK", true);
        bridge.calls.timers.schedule(this::endTransferor, TRANSFEROR_BYE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void endTransferor() {
        synchronized (bridge) {
            if (!transferor.gone) {
                bridge.calls.signalling.bye(transferor);
                transferor.gone = true;
                bridge.calls.forget(transferor);
            }
        }
    }
}
