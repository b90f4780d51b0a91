package io.tandem.telephony.media;

/**
 * The only WAV flavour Tandem reads and writes: RIFF, PCM (format tag 1), 16-bit, mono, at
 * 8000 Hz (the pipeline rate) or 16000 Hz (wideband prompts, resampled on load).
 */
public record WavFormat(int sampleRate) {
    public static final int CHANNELS = 1;
    public static final int BITS_PER_SAMPLE = 16;
    /** WAVE_FORMAT_PCM in the fmt chunk. */
    static final int FORMAT_PCM = 1;
    /** WAVE_FORMAT_EXTENSIBLE: the real format tag is in the sub-format GUID. */
    static final int FORMAT_EXTENSIBLE = 0xFFFE;
    /** Size of a canonical header: RIFF (12) + fmt chunk (8 + 16) + data chunk header (8). */
    static final int HEADER_BYTES = 44;

    public static final WavFormat PCM_8K = new WavFormat(8000);
    public static final WavFormat PCM_16K = new WavFormat(16000);

    public WavFormat {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new IllegalArgumentException("unsupported WAV sample rate " + sampleRate + " Hz (8000 or 16000)");
        }
    }

    public int blockAlign() {
        return CHANNELS * BITS_PER_SAMPLE / 8;
    }

    public int byteRate() {
        return sampleRate * blockAlign();
    }
}
