package io.tandem.bench.phone;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.AudioFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnsetsTest {

    /** The bursts as the caller sends them, read frame by frame. */
    private static short[] play(ToneBursts bursts) {
        short[] all = new short[bursts.framesToPlay() * AudioFrames.SAMPLES_PER_FRAME];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < bursts.framesToPlay(); f++) {
            bursts.read(frame);
            System.arraycopy(frame, 0, all, f * AudioFrames.SAMPLES_PER_FRAME, frame.length);
        }
        return all;
    }

    @Test
    void findsEachBurstOnItsFirstSample() {
        ToneBursts bursts = new ToneBursts(3);
        short[] heard = play(bursts);

        List<Long> onsets = Onsets.find(heard);

        long first = (long) ToneBursts.LEAD_FRAMES * AudioFrames.SAMPLES_PER_FRAME;
        long period = (long) ToneBursts.PERIOD_FRAMES * AudioFrames.SAMPLES_PER_FRAME;
        assertThat(onsets).containsExactly(first, first + period, first + 2 * period);
        assertThat(bursts.sent()).hasSize(3);
        assertThat(bursts.done()).isTrue();
    }

    @Test
    void aDelayedRecordingMovesTheOnsetsByTheDelay() {
        short[] heard = play(new ToneBursts(1));
        short[] delayed = new short[heard.length + 37];
        System.arraycopy(heard, 0, delayed, 37, heard.length);

        assertThat(Onsets.find(delayed)).containsExactly(ToneBursts.LEAD_FRAMES * AudioFrames.SAMPLES_PER_FRAME + 37L);
    }

    @Test
    void noiseBelowTheThresholdIsNoOnsetAndAToneWithoutQuietBeforeIsNone() {
        short[] samples = new short[8000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i % 2 == 0 ? Onsets.QUIET - 1 : -(Onsets.QUIET - 1));
        }
        samples[100] = (short) Onsets.ONSET; // loud, but less than 50 ms of quiet before it
        assertThat(Onsets.find(samples)).isEmpty();
    }
}
