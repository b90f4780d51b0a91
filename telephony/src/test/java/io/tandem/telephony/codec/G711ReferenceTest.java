package io.tandem.telephony.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * G.711 against the closed-form definition of its segments (ITU-T G.711 Tables 1 and 2), not
 * against the implementation's own formulas: for every one of the 256 codes the decoded value
 * must be the standard's reconstruction level, and every linear sample must land in the code
 * whose interval holds it.
 */
class G711ReferenceTest {

    /** μ-law: segment s, step q → 14-bit magnitude (33 + 2q)·2^s − 33; ×4 for 16-bit. */
    private static int ulawLevel(int segment, int step) {
        return 4 * (((33 + 2 * step) << segment) - 33);
    }

    /** A-law: segment 0 → 2q + 1, segment s ≥ 1 → (33 + 2q)·2^(s−1), 13-bit; ×8 for 16-bit. */
    private static int alawLevel(int segment, int step) {
        int level = segment == 0 ? 2 * step + 1 : (33 + 2 * step) << (segment - 1);
        return 8 * level;
    }

    @Test
    void everyUlawCodeDecodesToItsReconstructionLevel() {
        for (int sign = 0; sign < 2; sign++) {
            for (int s = 0; s < 8; s++) {
                for (int q = 0; q < 16; q++) {
                    // Transmitted code is the complement of (sign | segment | step); sign bit 1 = negative.
                    byte code = (byte) ~((sign << 7) | (s << 4) | q);
                    int level = ulawLevel(s, q);
                    assertThat(G711.ulawToLinear(code)).as("μ-law %02X", code & 0xFF)
                            .isEqualTo((short) (sign == 1 ? -level : level));
                }
            }
        }
    }

    @Test
    void everyAlawCodeDecodesToItsReconstructionLevel() {
        for (int sign = 0; sign < 2; sign++) {
            for (int s = 0; s < 8; s++) {
                for (int q = 0; q < 16; q++) {
                    // Even bits inverted on the line (XOR 0x55); sign bit 1 = positive.
                    byte code = (byte) (((sign << 7) | (s << 4) | q) ^ 0x55);
                    int level = alawLevel(s, q);
                    assertThat(G711.alawToLinear(code)).as("A-law %02X", code & 0xFF)
                            .isEqualTo((short) (sign == 1 ? level : -level));
                }
            }
        }
    }

    @Test
    void ulawQuantisesToTheNearestLevel() {
        // Within the coder's range every sample is at most half a step from its reconstruction.
        for (int x = -32124; x <= 32124; x++) {
            byte code = G711.linearToUlaw(x);
            int segment = ((~code) >> 4) & 0x07;
            int halfStep = 4 << segment;
            assertThat(Math.abs(G711.ulawToLinear(code) - x)).as("μ-law at %d", x).isLessThanOrEqualTo(halfStep);
        }
    }

    @Test
    void alawQuantisesWithinHalfAStep() {
        for (int x = -32256; x <= 32256; x++) {
            byte code = G711.linearToAlaw(x);
            int segment = ((code ^ 0x55) >> 4) & 0x07;
            int halfStep = segment == 0 ? 8 : 8 << (segment - 1);
            assertThat(Math.abs(G711.alawToLinear(code) - x)).as("A-law at %d", x).isLessThanOrEqualTo(halfStep);
        }
    }

    @Test
    void decodingIsMonotonicAcrossTheWholeScale() {
        // Walking linear values upwards must never walk the decoded level downwards.
        int lastU = Integer.MIN_VALUE;
        int lastA = Integer.MIN_VALUE;
        for (int x = -32768; x <= 32767; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw(x));
            int a = G711.alawToLinear(G711.linearToAlaw(x));
            assertThat(u).as("μ-law at %d", x).isGreaterThanOrEqualTo(lastU);
            assertThat(a).as("A-law at %d", x).isGreaterThanOrEqualTo(lastA);
            lastU = u;
            lastA = a;
        }
    }

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int i = 0; i < 256; i++) {
            byte code = (byte) i;
            assertThat(G711.linearToAlaw(G711.alawToLinear(code))).as("A-law %02X", i).isEqualTo(code);
            // μ-law has two zeros (0xFF and 0x7F); negative zero re-encodes as positive zero.
            byte expected = i == 0x7F ? (byte) 0xFF : code;
            assertThat(G711.linearToUlaw(G711.ulawToLinear(code))).as("μ-law %02X", i).isEqualTo(expected);
        }
    }
}
