package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.AudioFrames;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FramePipeTest {

    private static short[] frame(int value) {
        short[] frame = AudioFrames.newFrame();
        Arrays.fill(frame, (short) value);
        return frame;
    }

    @Test
    void framesComeOutInOrderAndNothingNewIsSilenceNotTheLastFrameAgain() {
        FramePipe pipe = new FramePipe();
        pipe.write(frame(1));
        pipe.write(frame(2));
        short[] out = AudioFrames.newFrame();
        assertThat(pipe.read(out)).isTrue();
        assertThat(out[0]).isEqualTo((short) 1);
        pipe.read(out);
        assertThat(out[AudioFrames.SAMPLES_PER_FRAME - 1]).isEqualTo((short) 2);
        pipe.read(out);
        assertThat(out).containsOnly((short) 0);
    }

    @Test
    void aReaderARingBehindLosesTheNewestFramesAndTheyAreCounted() {
        FramePipe pipe = new FramePipe();
        for (int i = 1; i <= 10; i++) {
            pipe.write(frame(i));
        }
        assertThat(pipe.skipped()).isEqualTo(2);
        short[] out = AudioFrames.newFrame();
        for (int i = 1; i <= 8; i++) {
            pipe.read(out);
            assertThat(out[0]).isEqualTo((short) i);
        }
    }
}
