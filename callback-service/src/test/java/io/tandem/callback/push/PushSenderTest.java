package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PushSenderTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void sendsThroughTheProviderOfTheDevicesNetworkAndCountsTheOutcome() {
        RecordingProvider fcm = new RecordingProvider(PushNetwork.FCM, m -> new PushOutcome.Accepted("msg-1"));
        PushSender sender = new PushSender(List.of(fcm), new InMemoryPushLedger(10), meters);

        PushOutcome outcome = sender.send(ring("room-a", PushNetwork.FCM, "tok-1")).join();

        assertThat(outcome).isEqualTo(new PushOutcome.Accepted("msg-1"));
        assertThat(fcm.sent).hasSize(1);
        assertThat(sent("fcm", "accepted")).isEqualTo(1.0);
    }

    @Test
    void aRepeatOfTheSameKeyGetsTheFirstOutcomeWithoutReachingTheProvider() {
        RecordingProvider apns =
                new RecordingProvider(PushNetwork.APNS, m -> new PushOutcome.DeadToken("Unregistered"));
        PushSender sender = new PushSender(List.of(apns), new InMemoryPushLedger(10), meters);

        PushOutcome first = sender.send(ring("room-a", PushNetwork.APNS, "tok-1")).join();
        PushOutcome repeat = sender.send(ring("room-a", PushNetwork.APNS, "tok-1")).join();

        assertThat(repeat).isEqualTo(first).isEqualTo(new PushOutcome.DeadToken("Unregistered"));
        assertThat(apns.sent).hasSize(1);
        assertThat(sent("apns", "dead-token")).isEqualTo(1.0);
        assertThat(meters.get("tandem.push.repeated").tag("provider", "apns").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theCancelAfterARingIsAPushOfItsOwnAndOtherDevicesAreToo() {
        RecordingProvider apns = new RecordingProvider(PushNetwork.APNS, m -> new PushOutcome.Accepted("id"));
        PushSender sender = new PushSender(List.of(apns), new InMemoryPushLedger(10), meters);

        sender.send(ring("room-a", PushNetwork.APNS, "tok-1")).join();
        sender.send(ring("room-a", PushNetwork.APNS, "tok-2")).join();
        sender.send(cancel("room-a", PushNetwork.APNS, "tok-1")).join();

        assertThat(apns.sent).extracting(PushMessage::kind)
                .containsExactly(PushKind.RING, PushKind.RING, PushKind.CANCEL);
    }

    @Test
    void aNetworkWithoutProviderIsRefusedAsNotConfigured() {
        PushSender sender = new PushSender(List.of(), new InMemoryPushLedger(10), meters);

        PushOutcome outcome = sender.send(ring("room-a", PushNetwork.WEBHOOK, "sms-gateway")).join();

        assertThat(outcome).isEqualTo(new PushOutcome.Refused("provider not configured"));
        assertThat(sent("webhook", "refused")).isEqualTo(1.0);
    }

    @Test
    void aProviderThatBreaksItsContractIsCountedAsFailed() {
        RecordingProvider broken = new RecordingProvider(PushNetwork.FCM, m -> {
            throw new IllegalStateException("bug");
        });
        PushSender sender = new PushSender(List.of(broken), new InMemoryPushLedger(10), meters);

        PushOutcome outcome = sender.send(ring("room-a", PushNetwork.FCM, "tok-1")).join();

        assertThat(outcome).isInstanceOf(PushOutcome.Failed.class);
        assertThat(((PushOutcome.Failed) outcome).reason()).contains("bug");
        assertThat(sent("fcm", "failed")).isEqualTo(1.0);
    }

    @Test
    void twoProvidersForOneNetworkAreAConfigurationError() {
        RecordingProvider one = new RecordingProvider(PushNetwork.FCM, m -> new PushOutcome.Accepted("x"));
        RecordingProvider two = new RecordingProvider(PushNetwork.FCM, m -> new PushOutcome.Accepted("y"));

        assertThatThrownBy(() -> new PushSender(List.of(one, two), new InMemoryPushLedger(10), meters))
                .hasMessageContaining("two providers for fcm");
    }

    private double sent(String provider, String outcome) {
        return meters.get("tandem.push.sent").tag("provider", provider).tag("outcome", outcome).counter().count();
    }

    static PushMessage ring(String room, PushNetwork network, String prid) {
        return new PushMessage(PushKind.RING, new PushDevice(network, prid, ""), room, "+4930123", "Ada", "7002", 12,
                "join-" + room);
    }

    static PushMessage cancel(String room, PushNetwork network, String prid) {
        return new PushMessage(PushKind.CANCEL, new PushDevice(network, prid, ""), room, "+4930123", "Ada", "7002",
                20, "");
    }

    /** A provider of our own interface that answers from a function and remembers what it was given. */
    private static final class RecordingProvider implements PushProvider {
        private final PushNetwork network;
        private final Function<PushMessage, PushOutcome> answer;
        final List<PushMessage> sent = new ArrayList<>();

        RecordingProvider(PushNetwork network, Function<PushMessage, PushOutcome> answer) {
            this.network = network;
            this.answer = answer;
        }

        @Override
        public PushNetwork network() {
            return network;
        }

        @Override
        public CompletableFuture<PushOutcome> send(PushMessage message) {
            sent.add(message);
            return CompletableFuture.completedFuture(answer.apply(message));
        }

        @Override
        public void close() {
        }
    }
}
