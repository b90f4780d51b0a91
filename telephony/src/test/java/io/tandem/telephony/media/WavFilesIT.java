package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real files from real tools: Asterisk's prompt and hold-music packages (Debian
 * {@code asterisk-core-sounds-en-wav}, {@code asterisk-moh-opsound-wav}) and files written by
 * {@code sox} in odd formats.
 */
class WavFilesIT {
    /**
     * Debian's package installs the prompts under {@code en_US_f_Allison}; the {@code en} link to it comes from
     * another package (or an Asterisk install), so a fresh machine may have only the first.
     */
    private static final Path PROMPTS = Stream.of("/usr/share/asterisk/sounds/en",
                    "/usr/share/asterisk/sounds/en_US_f_Allison")
            .map(Path::of).filter(Files::isDirectory).findFirst()
            .orElse(Path.of("/usr/share/asterisk/sounds/en_US_f_Allison"));
    private static final Path MOH = Path.of("/usr/share/asterisk/moh");
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private static List<Path> wavs(Path dir, String debianPackage) throws IOException {
        assertThat(dir).as("install the Debian package %s (apt-get install -y %s)", debianPackage, debianPackage)
                .isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
            assertThat(list).as("WAV files of %s", debianPackage).isNotEmpty();
            return list;
        }
    }

    private static void sox(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("sox");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("sox finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("sox %s: %s", cmd, out).isZero();
    }

    private static String soxInfo(Path file, String option) throws Exception {
        Process p = new ProcessBuilder("sox", "--i", option, file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    private static short[] play(WavPlayer player, int frames) {
        short[] all = new short[frames * N];
        short[] frame = AudioFrames.newFrame();
        for (int f = 0; f < frames; f++) {
            player.read(frame);
            System.arraycopy(frame, 0, all, f * N, N);
        }
        return all;
    }

    @Test
    void everyAsteriskPromptLoadsAndHasSound() throws Exception {
        for (Path prompt : wavs(PROMPTS, "asterisk-core-sounds-en-wav")) {
            AudioClip clip = AudioClip.load(prompt);
            assertThat(clip.length()).as(prompt.toString()).isPositive();
            short[] audio = play(new WavPlayer(clip, false), clip.length() / N + 1);
            assertThat(Goertzel.energy(audio, 0, audio.length)).as(prompt.toString()).isPositive();
        }
    }

    @Test
    void holdMusicLoopsPastItsEnd() throws Exception {
        for (Path music : wavs(MOH, "asterisk-moh-opsound-wav")) {
            AudioClip clip = AudioClip.load(music);
            WavPlayer player = new WavPlayer(clip, true);
            short[] frame = AudioFrames.newFrame();
            int frames = clip.length() / N + 100; // two seconds beyond the end
            for (int f = 0; f < frames; f++) {
                assertThat(player.read(frame)).as(music.toString()).isTrue();
            }
        }
    }

    /** "Talk-off": music and speech must not be mistaken for keys. */
    @Test
    void dtmfDetectorStaysQuietOnMusicAndSpeech() throws Exception {
        List<Path> files = new ArrayList<>(wavs(MOH, "asterisk-moh-opsound-wav"));
        files.addAll(wavs(PROMPTS, "asterisk-core-sounds-en-wav"));
        for (Path file : files) {
            AudioClip clip = AudioClip.load(file);
            WavPlayer player = new WavPlayer(clip, false);
            DtmfDetector detector = new DtmfDetector();
            short[] frame = AudioFrames.newFrame();
            StringBuilder keys = new StringBuilder();
            while (player.read(frame)) {
                char k = detector.process(frame);
                if (k != DtmfDetector.NONE) {
                    keys.append(k);
                }
            }
            assertThat(keys.toString()).as("false keys in %s", file).isEmpty();
        }
    }

    @Test
    void soxWidebandFileIsResampledToTheSamePitch(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("wideband.wav");
        sox("-n", "-r", "16000", "-b", "16", "-c", "1", wav.toString(), "synth", "1", "sin", "1000", "vol", "0.3");
        AudioClip clip = AudioClip.load(wav);
        assertThat(clip.length()).isEqualTo(8000);
        short[] audio = play(new WavPlayer(clip, false), 50);
        assertThat(Goertzel.toneRatio(audio, 800, 6400, 1000, 8000)).isGreaterThan(0.9);
    }

    @Test
    void soxDtmfFileIsDetected(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("key5.wav");
        sox("-n", "-r", "8000", "-b", "16", "-c", "1", wav.toString(),
                "synth", "0.1", "sin", "770", "sin", "1336", "remix", "1,2", "vol", "0.4", "pad", "0.1", "0.1");
        WavPlayer player = WavPlayer.open(wav, false);
        DtmfDetector detector = new DtmfDetector();
        short[] frame = AudioFrames.newFrame();
        StringBuilder keys = new StringBuilder();
        while (player.read(frame)) {
            char k = detector.process(frame);
            if (k != DtmfDetector.NONE) {
                keys.append(k);
            }
        }
        assertThat(keys.toString()).isEqualTo("5");
    }

    @Test
    void soxFilesInFormatsWeCannotPlayAreRefusedByName(@TempDir Path dir) throws Exception {
        Path stereo = dir.resolve("stereo.wav");
        sox("-n", "-r", "8000", "-b", "16", "-c", "2", stereo.toString(), "synth", "0.1", "sin", "400");
        assertThatThrownBy(() -> AudioClip.load(stereo)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("stereo").hasMessageContaining("stereo.wav");

        Path ulaw = dir.resolve("ulaw.wav");
        sox("-n", "-r", "8000", "-e", "u-law", "-c", "1", ulaw.toString(), "synth", "0.1", "sin", "400");
        assertThatThrownBy(() -> AudioClip.load(ulaw)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("μ-law");

        Path eightBit = dir.resolve("8bit.wav");
        sox("-n", "-r", "8000", "-b", "8", "-c", "1", eightBit.toString(), "synth", "0.1", "sin", "400");
        assertThatThrownBy(() -> AudioClip.load(eightBit)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("8-bit");

        Path cd = dir.resolve("cd.wav");
        sox("-n", "-r", "44100", "-b", "16", "-c", "1", cd.toString(), "synth", "0.1", "sin", "400");
        assertThatThrownBy(() -> AudioClip.load(cd)).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("44100 Hz");
    }

    @Test
    void recordingIsAValidWavForSox(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("recording.wav");
        try (WavRecorder recorder = new WavRecorder(file, Duration.ofMinutes(1))) {
            MediaSource tone = CallProgressTone.of(CallProgressTone.Plan.EUROPE, CallProgressTone.Kind.DIAL)
                    .source(8000);
            short[] frame = AudioFrames.newFrame();
            for (int i = 0; i < 100; i++) {
                tone.read(frame);
                recorder.write(frame);
            }
        }
        assertThat(soxInfo(file, "-r")).isEqualTo("8000");
        assertThat(soxInfo(file, "-c")).isEqualTo("1");
        assertThat(soxInfo(file, "-s")).isEqualTo("16000");
        Path converted = dir.resolve("converted.wav");
        sox(file.toString(), "-r", "16000", converted.toString());
        short[] back = play(WavPlayer.open(converted, false), 100);
        assertThat(Goertzel.toneRatio(back, 800, 8000, 425, 8000)).isGreaterThan(0.9);
    }
}
