package io.tandem.callback.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pushes: picks the provider of the device's network, sends each {@link PushKey} once through the
 * {@link PushLedger}, and counts every outcome ({@code tandem.push.sent{provider,outcome}}) and every repeat answered
 * from the ledger ({@code tandem.push.repeated{provider}}).
 *
 * <p>A network without a configured provider is not an error of the service: the push is refused with
 * {@value #NOT_CONFIGURED}, and that is logged once per network.
 */
public final class PushSender implements AutoCloseable {

    static final String NOT_CONFIGURED = "provider not configured";

    private static final Logger log = LoggerFactory.getLogger(PushSender.class);

    private final Map<PushNetwork, PushProvider> providers = new EnumMap<>(PushNetwork.class);
    private final PushLedger ledger;
    private final MeterRegistry meters;
    private final Set<PushNetwork> reportedUnconfigured = ConcurrentHashMap.newKeySet();

    public PushSender(List<PushProvider> providers, PushLedger ledger, MeterRegistry meters) {
        for (PushProvider provider : providers) {
            if (this.providers.putIfAbsent(provider.network(), provider) != null) {
                throw new IllegalArgumentException("two providers for " + provider.network().pnProvider());
            }
        }
        this.ledger = ledger;
        this.meters = meters;
    }

    /** The networks this service can push to. */
    public Set<PushNetwork> networks() {
        return Set.copyOf(providers.keySet());
    }

    /** Sends {@code message} unless its key was sent before; completes with the first outcome, never exceptionally. */
    public CompletableFuture<PushOutcome> send(PushMessage message) {
        PushNetwork network = message.device().network();
        AtomicBoolean sentNow = new AtomicBoolean();
        CompletableFuture<PushOutcome> outcome = ledger.once(message.key(), () -> {
            sentNow.set(true);
            return sendNow(network, message);
        });
        if (!sentNow.get()) {
            Counter.builder("tandem.push.repeated")
                    .description("Pushes answered from the ledger without reaching the provider")
                    .tag("provider", network.pnProvider())
                    .register(meters)
                    .increment();
            log.debug("push {} {} to {} is a repeat: answered from the ledger",
                    message.kind().wireName(), message.roomId(), network.pnProvider());
        }
        return outcome.exceptionally(failure -> {
            // Only a broken ledger gets here (sendNow never fails); say so loudly, and answer as a failure.
            log.error("push ledger failed for {}", message.key(), failure);
            return new PushOutcome.Failed("ledger: " + failure);
        });
    }

    private CompletableFuture<PushOutcome> sendNow(PushNetwork network, PushMessage message) {
        PushProvider provider = providers.get(network);
        CompletableFuture<PushOutcome> outcome;
        if (provider == null) {
            if (reportedUnconfigured.add(network)) {
                log.warn("push to {} refused: {} (configure tandem.push.{}.*); said once",
                        network.pnProvider(), NOT_CONFIGURED, network.pnProvider());
            }
            outcome = CompletableFuture.completedFuture(new PushOutcome.Refused(NOT_CONFIGURED));
        } else {
            try {
                outcome = provider.send(message).exceptionally(failure -> failedBy(network, failure));
            } catch (RuntimeException e) {
                outcome = CompletableFuture.completedFuture(failedBy(network, e));
            }
        }
        return outcome.thenApply(result -> {
            count(message, result);
            return result;
        });
    }

    private static PushOutcome failedBy(PushNetwork network, Throwable failure) {
        // A provider's contract is to complete with an outcome; one that throws has a bug worth a stack trace.
        log.error("push provider {} failed instead of answering with an outcome", network.pnProvider(), failure);
        return new PushOutcome.Failed(failure.toString());
    }

    private void count(PushMessage message, PushOutcome outcome) {
        PushNetwork network = message.device().network();
        Counter.builder("tandem.push.sent")
                .description("Pushes sent, by provider and outcome")
                .tag("provider", network.pnProvider())
                .tag("outcome", outcome.label())
                .register(meters)
                .increment();
        if (outcome instanceof PushOutcome.Failed failed) {
            log.warn("{} push for room {} to {} failed: {}", message.kind().wireName(), message.roomId(),
                    network.pnProvider(), failed.reason());
        } else if (outcome instanceof PushOutcome.Refused refused) {
            if (NOT_CONFIGURED.equals(refused.reason())) {
                return; // said once, in sendNow; counted above
            }
            log.warn("{} push for room {} to {} refused: {}", message.kind().wireName(), message.roomId(),
                    network.pnProvider(), refused.reason());
        } else if (outcome instanceof PushOutcome.DeadToken dead) {
            log.info("{} push for room {} to {}: token is dead ({}); the binding should be dropped",
                    message.kind().wireName(), message.roomId(), network.pnProvider(), dead.reason());
        } else {
            log.debug("{} push for room {} to {} accepted", message.kind().wireName(), message.roomId(),
                    network.pnProvider());
        }
    }

    /** Closes every provider. */
    @Override
    public void close() {
        providers.values().forEach(PushProvider::close);
    }
}
