package io.tandem.telephony.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal RIFF/WAVE reader for the test peers' recordings: 16-bit PCM only, first channel kept.
 * Tolerates a data chunk whose size field was never patched (a file still being written, or a
 * recorder killed before closing it) by taking the rest of the file. Test support only: the
 * media module's own WAV code is what production uses.
 */
final class PeerWavReader {
    private static final int PCM = 1;
    private static final int EXTENSIBLE = 0xFFFE;

    private PeerWavReader() {
    }

    static Recording read(Path wav) throws IOException {
        return read(Files.readAllBytes(wav));
    }

    static Recording read(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new IOException("not a RIFF/WAVE file");
        }
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66 /* "fmt " */) {
                int format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                bits = Short.toUnsignedInt(b.getShort(body + 14));
                if ((format != PCM && format != EXTENSIBLE) || bits != 16 || channels < 1) {
                    throw new IOException("only 16-bit PCM is supported, got format " + format + ", " + bits
                            + " bits, " + channels + " channels");
                }
            } else if (id == 0x61746164 /* "data" */) {
                if (rate == 0) {
                    throw new IOException("data chunk before fmt chunk");
                }
                long available = b.limit() - body;
                int length = (int) (size == 0 || size > available ? available : size);
                int frames = length / (2 * channels);
                short[] samples = new short[frames];
                for (int i = 0; i < frames; i++) {
                    samples[i] = b.getShort(body + i * 2 * channels);
                }
                return new Recording(samples, rate);
            }
            pos = body + (int) size + (int) (size & 1);
        }
        throw new IOException("no data chunk");
    }

    /** A canonical 44-byte-header PCM mono WAV of {@code audio}. */
    static byte[] encode(Recording audio) {
        int dataBytes = audio.samples().length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) PCM).putShort((short) 1).putInt(audio.sampleRate())
                .putInt(audio.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(dataBytes);
        for (short s : audio.samples()) {
            b.putShort(s);
        }
        return b.array();
    }

    /** Channels and sample rate from the fmt chunk, for configuring a player of this file. */
    static int[] format(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (id == 0x20746d66) {
                return new int[] {Short.toUnsignedInt(b.getShort(pos + 10)), b.getInt(pos + 12)};
            }
            pos = pos + 8 + (int) size + (int) (size & 1);
        }
        throw new IOException("no fmt chunk in " + wav);
    }
}
