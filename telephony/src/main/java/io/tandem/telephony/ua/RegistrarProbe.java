package io.tandem.telephony.ua;

import io.tandem.telephony.sip.SipEndpoint;
import io.tandem.telephony.sip.SipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.address.URI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * While the account is registered on a failover registrar, asks the preferred (first) one with
 * OPTIONS every probe interval whether it is back (the way Kamailio's dispatcher probes its
 * targets); any final answer but 408/503 means it is, and {@code onBack} gets the status.
 * Signalling thread only.
 */
final class RegistrarProbe {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarProbe.class);

    private final SipEndpoint endpoint;
    private final UserAgentConfig config;
    private final ScheduledExecutorService signalling;
    private final IntConsumer onBack;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> timeout;
    private ClientTransaction pending;

    RegistrarProbe(SipEndpoint endpoint, UserAgentConfig config, ScheduledExecutorService signalling,
                   IntConsumer onBack) {
        this.endpoint = endpoint;
        this.config = config;
        this.signalling = signalling;
        this.onBack = onBack;
    }

    /** Probes after one interval, and again after each unanswered probe, until {@link #stop()}. */
    void start() {
        cancel(next);
        next = signalling.schedule(this::send, config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        cancel(next);
        cancel(timeout);
        pending = null;
    }

    boolean owns(ClientTransaction tx) {
        return tx != null && tx == pending;
    }

    private void send() {
        String preferred = config.registrars().get(0);
        try {
            SipMessages m = endpoint.messages();
            URI target = m.addresses().createURI(preferred);
            javax.sip.address.Address aor = m.addresses().createAddress(
                    m.addresses().createSipURI(config.user(), config.domain()));
            Request options = m.outOfDialog(Request.OPTIONS, target, aor, SipMessages.newToken(),
                    m.addresses().createAddress(target), null, 1, Registration.transportOf(target), config.user());
            ClientTransaction tx = endpoint.provider().getNewClientTransaction(options);
            pending = tx;
            cancel(timeout);
            // Our own timer, not Timer F's 32 s: a dead registrar should cost one interval, not half a minute.
            timeout = signalling.schedule(() -> {
                if (pending == tx) {
                    Registration.terminate(tx);
                    onNoAnswer();
                }
            }, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            tx.sendRequest();
        } catch (Exception e) {
            LOG.debug("probe of {} failed: {}", preferred, e.getMessage());
            onNoAnswer();
        }
    }

    void onResponse(Response response) {
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        pending = null;
        cancel(timeout);
        if (status == Response.SERVICE_UNAVAILABLE || status == Response.REQUEST_TIMEOUT) {
            start();
        } else {
            onBack.accept(status);
        }
    }

    /** Timer expiry, transaction timeout or transport error: try again next interval. */
    void onNoAnswer() {
        pending = null;
        cancel(timeout);
        start();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
