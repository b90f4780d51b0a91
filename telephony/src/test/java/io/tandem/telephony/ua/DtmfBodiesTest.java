package io.tandem.telephony.ua;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DtmfBodiesTest {

    @Test
    void readsTheDigitOfDtmfRelayWhateverTheSpacingAndCase() {
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n")).isEqualTo('5');
        assertThat(DtmfBodies.parse("application/dtmf-relay", "signal = #\nduration=100")).isEqualTo('#');
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Duration=160\r\nSignal=d\r\n")).isEqualTo('D');
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Signal=10")).isEqualTo('*');
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Signal=11")).isEqualTo('#');
    }

    @Test
    void readsApplicationDtmf() {
        assertThat(DtmfBodies.parse("application/dtmf", "7\r\n")).isEqualTo('7');
    }

    @Test
    void refusesWhatIsNotADigit() {
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Signal=X")).isEqualTo((char) 0);
        assertThat(DtmfBodies.parse("application/dtmf-relay", "Duration=160")).isEqualTo((char) 0);
        assertThat(DtmfBodies.parse("application/dtmf", "")).isEqualTo((char) 0);
        assertThat(DtmfBodies.parse("text/plain", "5")).isEqualTo((char) 0);
    }

    @Test
    void relayBodyRoundTrips() {
        assertThat(DtmfBodies.parse(DtmfBodies.DTMF_RELAY, DtmfBodies.relayBody('*', 160))).isEqualTo('*');
    }
}
