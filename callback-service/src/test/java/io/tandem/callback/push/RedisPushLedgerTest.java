package io.tandem.callback.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisPushLedgerTest {

    @Test
    void everyKeptOutcomeReadsBackAsItWasWritten() {
        for (PushOutcome outcome : List.of(new PushOutcome.Accepted("5f1e2d3c-apns-id"),
                new PushOutcome.Refused("DeviceTokenNotForTopic"), new PushOutcome.DeadToken("Unregistered"),
                new PushOutcome.Refused("reason | with a bar"))) {
            assertThat(RedisPushLedger.decode(RedisPushLedger.encode(outcome))).isEqualTo(outcome);
        }
    }

    @Test
    void somethingUnknownInTheLedgerReadsAsAFailureSoTheDeviceIsNotSilenced() {
        assertThat(RedisPushLedger.decode("delivered-by-pigeon|x")).isEqualTo(new PushOutcome.Failed("x"));
    }
}
