package io.tandem.telephony.media;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a RIFF/WAVE file of 16-bit mono PCM at 8 or 16 kHz, chunk by chunk: chunks it does not
 * need (LIST, fact, cue...) are skipped, anything it cannot play is refused with a
 * {@link WavFormatException} saying why.
 *
 * <p>A data chunk shorter than its declared size (a recording cut off by a crash) is read up to
 * where the bytes end; only a truncated <em>header</em> is an error.
 */
public final class WavReader implements Closeable {
    /** Largest fmt chunk accepted; real ones are 16, 18 or 40 bytes. */
    private static final int MAX_FMT_BYTES = 1024;
    /** Sub-format GUID tail shared by all KSDATAFORMAT_SUBTYPE_* GUIDs (after the 2-byte tag). */
    private static final int EXTENSIBLE_FMT_BYTES = 40;

    private final InputStream in;
    private final WavFormat format;
    /** Bytes of the data chunk still to read, as declared. */
    private long remaining;
    private final long declaredSamples;
    private final byte[] buffer = new byte[8192];

    public WavReader(InputStream in) throws IOException {
        this.in = in;
        this.format = readHeader();
        this.declaredSamples = remaining / 2;
    }

    public static WavReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        try {
            return new WavReader(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            if (e instanceof WavFormatException) {
                throw new WavFormatException(file + ": " + e.getMessage());
            }
            throw e;
        }
    }

    public static WavReader of(byte[] wav) throws IOException {
        return new WavReader(new ByteArrayInputStream(wav));
    }

    public WavFormat format() {
        return format;
    }

    /** Samples the data chunk declares (the file may hold fewer if it was cut off). */
    public long declaredSamples() {
        return declaredSamples;
    }

    /**
     * Reads up to {@code len} samples into {@code dst[off..]}.
     *
     * @return samples read, or -1 at the end of the data
     */
    public int read(short[] dst, int off, int len) throws IOException {
        if (remaining < 2 || len == 0) {
            return remaining < 2 ? -1 : 0;
        }
        int want = (int) Math.min(Math.min((long) len * 2, buffer.length), remaining & ~1L);
        int got = in.readNBytes(buffer, 0, want);
        int samples = got / 2;
        for (int i = 0; i < samples; i++) {
            dst[off + i] = (short) ((buffer[2 * i] & 0xFF) | (buffer[2 * i + 1] << 8));
        }
        if (got < want) {
            remaining = 0; // cut-off file: what was there has been read
        } else {
            remaining -= got;
        }
        return samples == 0 ? -1 : samples;
    }

    /** Reads every remaining sample, refusing more than {@code maxSamples}. */
    public short[] readAll(int maxSamples) throws IOException {
        int initial = (int) Math.min(Math.min(remaining / 2, maxSamples) + 1, 1 << 20);
        short[] all = new short[Math.max(initial, 16)];
        int n = 0;
        int r;
        while ((r = read(all, n, all.length - n)) >= 0) {
            n += r;
            if (n > maxSamples) {
                throw new WavFormatException("WAV data longer than the limit of " + maxSamples + " samples");
            }
            if (n == all.length) {
                all = Arrays.copyOf(all, (int) Math.min(all.length * 2L, maxSamples + 1L));
            }
        }
        return n == all.length ? all : Arrays.copyOf(all, n);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private WavFormat readHeader() throws IOException {
        byte[] riff = new byte[12];
        if (in.readNBytes(riff, 0, 12) < 12) {
            throw new WavFormatException("truncated WAV header: fewer than 12 bytes of RIFF header");
        }
        String magic = ascii(riff, 0);
        if (magic.equals("RIFX")) {
            throw new WavFormatException("big-endian RIFX files are not supported");
        }
        if (!magic.equals("RIFF") || !ascii(riff, 8).equals("WAVE")) {
            throw new WavFormatException("not a WAV file: expected RIFF....WAVE, found '" + printable(magic) + "'");
        }
        WavFormat fmt = null;
        byte[] chunkHeader = new byte[8];
        while (true) {
            int got = in.readNBytes(chunkHeader, 0, 8);
            if (got == 0) {
                throw new WavFormatException(fmt == null ? "no fmt chunk in WAV file" : "no data chunk in WAV file");
            }
            if (got < 8) {
                throw new WavFormatException("truncated WAV header: chunk header cut off");
            }
            String id = ascii(chunkHeader, 0);
            long size = le32(chunkHeader, 4) & 0xFFFFFFFFL;
            switch (id) {
                case "fmt " -> {
                    if (size < 16 || size > MAX_FMT_BYTES) {
                        throw new WavFormatException("bad fmt chunk size " + size + " bytes");
                    }
                    byte[] body = new byte[(int) size];
                    if (in.readNBytes(body, 0, body.length) < body.length) {
                        throw new WavFormatException("truncated WAV header: fmt chunk cut off");
                    }
                    skipPad(size);
                    fmt = parseFmt(body);
                }
                case "data" -> {
                    if (fmt == null) {
                        throw new WavFormatException("data chunk before fmt chunk");
                    }
                    remaining = size;
                    return fmt;
                }
                default -> skip(id, size + (size & 1));
            }
        }
    }

    private static WavFormat parseFmt(byte[] b) throws WavFormatException {
        int tag = le16(b, 0);
        int channels = le16(b, 2);
        int rate = le32(b, 4);
        int bits = le16(b, 14);
        if (tag == WavFormat.FORMAT_EXTENSIBLE) {
            if (b.length < EXTENSIBLE_FMT_BYTES) {
                throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE fmt chunk too short: " + b.length + " bytes");
            }
            tag = le16(b, 24); // first two bytes of the sub-format GUID are the format tag
        }
        if (tag != WavFormat.FORMAT_PCM) {
            throw new WavFormatException("unsupported WAV encoding " + encodingName(tag)
                    + ": only 16-bit linear PCM is played (convert with: sox in.wav -e signed -b 16 out.wav)");
        }
        if (channels != WavFormat.CHANNELS) {
            throw new WavFormatException("unsupported WAV with " + channels + " channels"
                    + (channels == 2 ? " (stereo)" : "") + ": only mono is played");
        }
        if (bits != WavFormat.BITS_PER_SAMPLE) {
            throw new WavFormatException("unsupported " + bits + "-bit WAV: only 16-bit samples are played");
        }
        if (rate != 8000 && rate != 16000) {
            throw new WavFormatException("unsupported WAV sample rate " + rate + " Hz: only 8000 or 16000 Hz");
        }
        return new WavFormat(rate);
    }

    private static String encodingName(int tag) {
        return switch (tag) {
            case 3 -> "IEEE float (format 3)";
            case 6 -> "A-law (format 6)";
            case 7 -> "μ-law (format 7)";
            case 0x11 -> "IMA ADPCM (format 17)";
            case 0x31 -> "GSM 6.10 (format 49)";
            default -> "format " + tag;
        };
    }

    private void skip(String id, long bytes) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw new WavFormatException("truncated WAV header: chunk '" + printable(id) + "' cut off");
        }
    }

    private void skipPad(long size) throws IOException {
        if ((size & 1) == 1) {
            skip("fmt ", 1);
        }
    }

    private static String ascii(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
