package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.Goertzel;
import io.tandem.telephony.media.SineSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opus interop beyond Concentus: our packets must play in FFmpeg's own Opus decoder (an
 * implementation independent of libopus and of Concentus), and packets from libopus — what
 * real softphones and apps send — must play in ours.
 */
class OpusFfmpegIT {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    private static final int FRAMES = 100;

    @TempDir
    Path dir;

    private Ffmpeg ffmpeg;

    @BeforeEach
    void findFfmpeg() {
        ffmpeg = Ffmpeg.require(dir);
    }

    @Test
    void ffmpegsNativeDecoderPlaysOurPackets() throws Exception {
        OpusCodec codec = new OpusCodec();
        SineSource source = new SineSource(850, 12000);
        short[] frame = AudioFrames.newFrame();
        byte[] payload = new byte[codec.maxPayloadSize()];
        List<byte[]> packets = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            source.read(frame);
            packets.add(Arrays.copyOf(payload, codec.encode(frame, payload, 0)));
        }
        Path ogg = dir.resolve("ours.opus");
        Files.write(ogg, OggOpus.write(packets, 8000, 0));

        Path raw = dir.resolve("decoded.raw");
        // "-c:a opus" before -i picks libavcodec's native decoder rather than libopus.
        ffmpeg.run("-c:a", "opus", "-i", ogg.toString(), "-ac", "1", "-ar", "8000", "-f", "s16le", raw.toString());
        short[] decoded = Ffmpeg.readPcm(raw);

        assertThat(decoded.length).isBetween((FRAMES - 2) * N, (FRAMES + 2) * N);
        int off = 10 * N;
        int len = decoded.length - 2 * off;
        assertThat(Goertzel.dominant(decoded, off, len, 8000, 425, 850, 1700, 2550)).isEqualTo(850);
        ToneFit fit = ToneFit.of(decoded, off, len, 850, 8000);
        assertThat(fit.amplitude).isBetween(0.7 * 12000, 1.3 * 12000);
        assertThat(fit.snrDb).isGreaterThan(10);
    }

    @Test
    void weDecodeLibopusPackets() throws Exception {
        short[] tone = ToneFit.tone(1300, 8000, 12000, FRAMES * N);
        Path raw = dir.resolve("tone.raw");
        Ffmpeg.writePcm(raw, tone);
        Path ogg = dir.resolve("libopus.opus");
        ffmpeg.run("-f", "s16le", "-ar", "8000", "-ac", "1", "-i", raw.toString(),
                "-c:a", "libopus", "-application", "voip", "-frame_duration", "20", "-b:a", "24k", ogg.toString());
        List<byte[]> packets = OggOpus.readPackets(Files.readAllBytes(ogg));
        assertThat(new String(packets.get(0), 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
        List<byte[]> audio = packets.subList(2, packets.size());
        assertThat(audio.size()).isBetween(FRAMES - 1, FRAMES + 2);

        OpusCodec codec = new OpusCodec();
        short[] out = new short[audio.size() * N];
        short[] decoded = AudioFrames.newFrame();
        for (int i = 0; i < audio.size(); i++) {
            byte[] p = audio.get(i);
            assertThat(codec.decode(p, 0, p.length, decoded)).as("packet %d", i).isEqualTo(N);
            System.arraycopy(decoded, 0, out, i * N, N);
        }
        assertThat(codec.badPayloads()).isZero();
        int off = 10 * N;
        int len = out.length - 2 * off;
        assertThat(Goertzel.dominant(out, off, len, 8000, 650, 1300, 2600)).isEqualTo(1300);
        ToneFit fit = ToneFit.of(out, off, len, 1300, 8000);
        assertThat(fit.amplitude).isBetween(0.7 * 12000, 1.3 * 12000);
        assertThat(fit.snrDb).isGreaterThan(10);
    }
}
