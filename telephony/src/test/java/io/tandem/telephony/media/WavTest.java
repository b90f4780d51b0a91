package io.tandem.telephony.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WAV files built byte by byte here, so the rules are tested without any installed package. */
class WavTest {

    /** Builds a RIFF file from a fmt body and extra chunks, in order. */
    private static final class Riff {
        private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

        Riff chunk(String id, byte[] body) {
            ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            h.put(id.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(body.length);
            chunks.writeBytes(h.array());
            chunks.writeBytes(body);
            if ((body.length & 1) == 1) {
                chunks.write(0);
            }
            return this;
        }

        Riff fmt(int tag, int channels, int rate, int bits) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) tag).putShort((short) channels).putInt(rate)
                    .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
            return chunk("fmt ", b.array());
        }

        Riff data(short... samples) {
            ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : samples) {
                b.putShort(s);
            }
            return chunk("data", b.array());
        }

        byte[] bytes() {
            ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes()).putInt(4 + chunks.size()).put("WAVE".getBytes());
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(h.array());
            all.writeBytes(chunks.toByteArray());
            return all.toByteArray();
        }
    }

    private static short[] read(byte[] wav) throws IOException {
        try (WavReader r = WavReader.of(wav)) {
            return r.readAll(1_000_000);
        }
    }

    @Test
    void writerOutputReadsBackSampleForSample() throws IOException {
        short[] samples = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 1234, -4321};
        byte[] wav = WavWriter.toBytes(WavFormat.PCM_8K, samples);
        assertThat(wav).hasSize(44 + samples.length * 2);
        try (WavReader r = WavReader.of(wav)) {
            assertThat(r.format()).isEqualTo(WavFormat.PCM_8K);
            assertThat(r.declaredSamples()).isEqualTo(samples.length);
            assertThat(r.readAll(100)).containsExactly(samples);
        }
    }

    @Test
    void fileWriterPatchesTheHeaderOnClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out.wav");
        short[] frame = AudioFrames.newFrame();
        new SineSource(440, 5000).read(frame);
        try (WavWriter w = new WavWriter(file, WavFormat.PCM_16K)) {
            for (int i = 0; i < 100; i++) { // 16,000 samples: crosses the 8 KiB buffer several times
                w.write(frame, 0, frame.length);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(44 + 32000);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(4)).as("RIFF size").isEqualTo(36 + 32000);
        assertThat(b.getInt(40)).as("data size").isEqualTo(32000);
        try (WavReader r = WavReader.open(file)) {
            assertThat(r.format()).isEqualTo(WavFormat.PCM_16K);
            short[] all = r.readAll(100_000);
            assertThat(all).hasSize(16000);
            assertThat(Arrays.copyOfRange(all, 160, 320)).containsExactly(frame);
        }
    }

    @Test
    void skipsUnknownChunksIncludingOddSizedOnes() throws IOException {
        byte[] wav = new Riff()
                .chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .fmt(1, 1, 8000, 16)
                .chunk("fact", new byte[] {1, 2, 3}) // odd size: padded to even
                .data((short) 7, (short) -7)
                .bytes();
        assertThat(read(wav)).containsExactly((short) 7, (short) -7);
    }

    @Test
    void acceptsExtensibleFormatWhenTheSubFormatIsPcm() throws IOException {
        ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) 0xFFFE).putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2)
                .putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4)
                .putShort((short) 1); // KSDATAFORMAT_SUBTYPE_PCM starts with 0x0001
        byte[] wav = new Riff().chunk("fmt ", fmt.array()).data((short) 3).bytes();
        try (WavReader r = WavReader.of(wav)) {
            assertThat(r.format().sampleRate()).isEqualTo(16000);
        }
    }

    @Test
    void rejectsStereo() {
        byte[] wav = new Riff().fmt(1, 2, 8000, 16).data((short) 1, (short) 2).bytes();
        assertThatThrownBy(() -> read(wav)).isInstanceOf(WavFormatException.class).hasMessageContaining("stereo");
    }

    @Test
    void rejectsEightBit() {
        byte[] wav = new Riff().fmt(1, 1, 8000, 8).data((short) 1).bytes();
        assertThatThrownBy(() -> read(wav)).isInstanceOf(WavFormatException.class).hasMessageContaining("8-bit");
    }

    @Test
    void rejectsMuLawWav() {
        byte[] wav = new Riff().fmt(7, 1, 8000, 8).data((short) 1).bytes();
        assertThatThrownBy(() -> read(wav)).isInstanceOf(WavFormatException.class).hasMessageContaining("μ-law");
    }

    @Test
    void rejectsOtherSampleRates() {
        byte[] wav = new Riff().fmt(1, 1, 44100, 16).data((short) 1).bytes();
        assertThatThrownBy(() -> read(wav)).isInstanceOf(WavFormatException.class).hasMessageContaining("44100 Hz");
    }

    @Test
    void rejectsTruncatedHeaders() {
        byte[] good = WavWriter.toBytes(WavFormat.PCM_8K, new short[] {1, 2, 3});
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 8))).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 20))).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 40))).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 36))).isInstanceOf(WavFormatException.class)
                .hasMessageContaining("no data chunk");
    }

    @Test
    void rejectsFilesThatAreNotWav() {
        byte[] text = "hello, this is not a wave file at all".getBytes();
        assertThatThrownBy(() -> read(text)).isInstanceOf(WavFormatException.class).hasMessageContaining("not a WAV");
        byte[] dataFirst = new Riff().data((short) 1).fmt(1, 1, 8000, 16).bytes();
        assertThatThrownBy(() -> read(dataFirst)).hasMessageContaining("data chunk before fmt");
    }

    @Test
    void aCutOffDataChunkIsReadUpToWhereTheBytesEnd() throws IOException {
        byte[] good = WavWriter.toBytes(WavFormat.PCM_8K, new short[] {1, 2, 3, 4});
        assertThat(read(Arrays.copyOf(good, 44 + 5))).containsExactly((short) 1, (short) 2);
    }

    @Test
    void refusesDataLongerThanTheLimit() {
        byte[] wav = WavWriter.toBytes(WavFormat.PCM_8K, new short[100]);
        assertThatThrownBy(() -> {
            try (WavReader r = WavReader.of(wav)) {
                r.readAll(99);
            }
        }).isInstanceOf(WavFormatException.class).hasMessageContaining("limit");
    }

    @Test
    void formatRefusesRatesThePipelineCannotPlay() {
        assertThatThrownBy(() -> new WavFormat(11025)).hasMessageContaining("11025");
    }
}
