package io.tandem.telephony.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit mono PCM as a canonical 44-byte-header RIFF/WAVE file. The header is written
 * with zero sizes first and patched on {@link #close()}; samples are buffered (8 KiB) so a
 * media thread writing 20 ms frames touches the disk about twice a second.
 * Not thread-safe: {@link WavRecorder} adds the locking a media sink needs.
 */
public final class WavWriter implements Closeable {
    /** RIFF sizes are 32-bit: the data chunk must leave room for the rest of the header. */
    static final long MAX_DATA_BYTES = 0xFFFFFFFFL - (WavFormat.HEADER_BYTES - 8);

    private final FileChannel channel;
    private final WavFormat format;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private boolean closed;

    public WavWriter(Path file, WavFormat format) throws IOException {
        this.format = format;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeHeader(buffer, format, 0);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public WavFormat format() {
        return format;
    }

    public long samplesWritten() {
        return dataBytes / 2;
    }

    /** Appends {@code samples[off, off+len)}. */
    public void write(short[] samples, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("WAV writer is closed");
        }
        if (dataBytes + 2L * len > MAX_DATA_BYTES) {
            throw new IOException("WAV file would exceed the 4 GiB RIFF limit");
        }
        for (int i = 0; i < len; i++) {
            if (buffer.remaining() < 2) {
                flush();
            }
            buffer.putShort(samples[off + i]);
        }
        dataBytes += 2L * len;
    }

    /** Flushes buffered samples and patches the RIFF and data sizes. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel c = channel) {
            flush();
            ByteBuffer header = ByteBuffer.allocate(WavFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            writeHeader(header, format, dataBytes);
            header.flip();
            while (header.hasRemaining()) {
                c.write(header, header.position());
            }
            c.force(false);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** A complete WAV file in memory (for prompts built in code, and for tests). */
    public static byte[] toBytes(WavFormat format, short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(WavFormat.HEADER_BYTES + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        writeHeader(b, format, samples.length * 2L);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    /** The canonical header: RIFF, a 16-byte PCM fmt chunk, the data chunk header. */
    static void writeHeader(ByteBuffer b, WavFormat format, long dataBytes) {
        b.put(new byte[] {'R', 'I', 'F', 'F'});
        b.putInt((int) (WavFormat.HEADER_BYTES - 8 + dataBytes));
        b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
        b.putInt(16);
        b.putShort((short) WavFormat.FORMAT_PCM);
        b.putShort((short) WavFormat.CHANNELS);
        b.putInt(format.sampleRate());
        b.putInt(format.byteRate());
        b.putShort((short) format.blockAlign());
        b.putShort((short) WavFormat.BITS_PER_SAMPLE);
        b.put(new byte[] {'d', 'a', 't', 'a'});
        b.putInt((int) dataBytes);
    }
}
