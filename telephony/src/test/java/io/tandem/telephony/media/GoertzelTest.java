package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoertzelTest {

    private static short[] tone(double hz, int frames) {
        SineSource source = new SineSource(hz, 8000);
        short[] all = new short[frames * AudioFrames.SAMPLES_PER_FRAME];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < frames; f++) {
            source.read(frame);
            System.arraycopy(frame, 0, all, f * frame.length, frame.length);
        }
        return all;
    }

    @Test
    void findsThePureToneAndNotItsNeighbour() {
        short[] a = tone(1000, 10);
        assertThat(Goertzel.toneRatio(a, 0, a.length, 1000, 8000)).isGreaterThan(0.9);
        assertThat(Goertzel.toneRatio(a, 0, a.length, 440, 8000)).isLessThan(0.01);
        assertThat(Goertzel.dominant(a, 0, a.length, 8000, 440, 1000, 1400)).isEqualTo(1000);
    }

    @Test
    void silenceHasNoTone() {
        short[] silence = new short[1600];
        assertThat(Goertzel.toneRatio(silence, 0, silence.length, 1000, 8000)).isZero();
    }

    @Test
    void dualToneShowsBothHalves() {
        SineSource dtmf5 = new SineSource(770, 1336, 10000);
        short[] frame = AudioFrames.newFrame();
        short[] block = new short[800];
        for (int i = 0; i < 5; i++) {
            dtmf5.read(frame);
            System.arraycopy(frame, 0, block, i * 160, 160);
        }
        assertThat(Goertzel.toneRatio(block, 0, block.length, 770, 8000)).isBetween(0.35, 0.65);
        assertThat(Goertzel.toneRatio(block, 0, block.length, 1336, 8000)).isBetween(0.35, 0.65);
        assertThat(Goertzel.toneRatio(block, 0, block.length, 941, 8000)).isLessThan(0.02);
    }
}
