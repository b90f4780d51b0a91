package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WavRecorderTest {

    @Test
    void recordsWhatItHearsIntoAPlayableFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("call.wav");
        SineSource tone = new SineSource(800, 6000);
        short[] frame = AudioFrames.newFrame();
        try (WavRecorder recorder = new WavRecorder(file, Duration.ofMinutes(1))) {
            for (int i = 0; i < 50; i++) {
                tone.read(frame);
                recorder.write(frame);
            }
            assertThat(recorder.recorded()).isEqualTo(Duration.ofSeconds(1));
        }
        AudioClip clip = AudioClip.load(file);
        assertThat(clip.length()).isEqualTo(8000);
        short[] all = new short[8000];
        clip.copy(0, all, 0, all.length);
        assertThat(Goertzel.toneRatio(all, 0, all.length, 800, 8000)).isGreaterThan(0.9);
    }

    @Test
    void stopsAtTheMaximumDurationSoAForgottenRecorderCannotFillTheDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("forgotten.wav");
        WavRecorder recorder = new WavRecorder(file, Duration.ofMillis(100));
        short[] frame = AudioFrames.newFrame();
        for (int i = 0; i < 20; i++) {
            recorder.write(frame);
        }
        assertThat(recorder.isFull()).isTrue();
        assertThat(recorder.framesWritten()).isEqualTo(5);
        assertThat(recorder.framesDropped()).isEqualTo(15);
        recorder.close();
        assertThat(AudioClip.load(file).length()).isEqualTo(5 * AudioFrames.SAMPLES_PER_FRAME);
    }

    @Test
    void writesAfterCloseAreDroppedAndCloseIsIdempotent(@TempDir Path dir) throws IOException {
        WavRecorder recorder = new WavRecorder(dir.resolve("x.wav"), Duration.ofSeconds(10));
        recorder.write(AudioFrames.newFrame());
        recorder.close();
        recorder.close();
        recorder.write(AudioFrames.newFrame());
        recorder.write(new short[3]);
        assertThat(recorder.framesWritten()).isEqualTo(1);
        assertThat(recorder.framesDropped()).isEqualTo(2);
    }

    /** Close from another thread while the media thread keeps writing: the header matches the data. */
    @Test
    void closeFromAnotherThreadLeavesAConsistentFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("race.wav");
        WavRecorder recorder = new WavRecorder(file, Duration.ofMinutes(10));
        CountDownLatch writing = new CountDownLatch(100);
        Thread media = new Thread(() -> {
            short[] frame = AudioFrames.newFrame();
            java.util.Arrays.fill(frame, (short) 1000);
            while (recorder.framesDropped() == 0) { // ends at close, or when full (10 min = 9.6 MB at most)
                recorder.write(frame);
                writing.countDown();
            }
        }, "media");
        media.start();
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        recorder.close();
        media.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(media.isAlive()).isFalse();
        long written = recorder.framesWritten();
        try (WavReader reader = WavReader.open(file)) {
            assertThat(reader.declaredSamples()).isEqualTo(written * AudioFrames.SAMPLES_PER_FRAME);
            short[] all = reader.readAll(Integer.MAX_VALUE - 8);
            assertThat(all).hasSize((int) written * AudioFrames.SAMPLES_PER_FRAME).containsOnly((short) 1000);
        }
    }
}
