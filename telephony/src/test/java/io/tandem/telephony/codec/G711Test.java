package io.tandem.telephony.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** G.711 against values from the ITU-T G.711 tables (Table 1a μ-law, Table 1b... A-law). */
class G711Test {

    @Test
    void ulawEncodesReferenceValues() {
        // Silence is 0xFF in μ-law; full-scale positive is 0x80, full-scale negative 0x00.
        assertThat(G711.linearToUlaw(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToUlaw(32767)).isEqualTo((byte) 0x80);
        assertThat(G711.linearToUlaw(-32768)).isEqualTo((byte) 0x00);
        assertThat(G711.linearToUlaw(-1)).isEqualTo((byte) 0x7F);
    }

    @Test
    void ulawDecodesReferenceValues() {
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
    }

    @Test
    void alawEncodesReferenceValues() {
        // A-law has no exact zero: the smallest positive step encodes to 0xD5, negative to 0x55.
        assertThat(G711.linearToAlaw(0)).isEqualTo((byte) 0xD5);
        assertThat(G711.linearToAlaw(-1)).isEqualTo((byte) 0x55);
        assertThat(G711.linearToAlaw(32767)).isEqualTo((byte) 0xAA);
        assertThat(G711.linearToAlaw(-32768)).isEqualTo((byte) 0x2A);
    }

    @Test
    void alawDecodesReferenceValues() {
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void roundTripErrorStaysWithinOneQuantisationStep() {
        for (int x = -32768; x <= 32767; x += 7) {
            int u = G711.ulawToLinear(G711.linearToUlaw(x));
            int a = G711.alawToLinear(G711.linearToAlaw(x));
            // The largest segment of either law spans 1024 (μ) or 1024 (A) linear units.
            assertThat(Math.abs(u - x)).as("μ-law at %d", x).isLessThanOrEqualTo(Math.max(1024, Math.abs(x) / 16));
            assertThat(Math.abs(a - x)).as("A-law at %d", x).isLessThanOrEqualTo(Math.max(1024, Math.abs(x) / 16));
        }
    }

    @Test
    void transcodingTablesAgreeWithLinearRoundTrip() {
        for (int i = 0; i < 256; i++) {
            byte a = (byte) i;
            assertThat(G711.alawToUlaw(a)).isEqualTo(G711.linearToUlaw(G711.alawToLinear(a)));
        }
    }
}
