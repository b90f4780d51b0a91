package io.tandem.telephony.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Plays an {@link AudioClip} (a prompt, or hold music when looping) one 20 ms frame at a time.
 * The clip is decoded up front, so {@link #read} only copies samples. One player per listener;
 * {@code read} is called from one media thread, {@link #close()} may come from any thread.
 */
public final class WavPlayer implements MediaSource {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;

    private final AudioClip clip;
    private final boolean loop;
    /** Next sample to play; only the reading thread touches it. */
    private int position;
    private volatile boolean closed;

    public WavPlayer(AudioClip clip, boolean loop) {
        this.clip = clip;
        this.loop = loop;
    }

    /** Plays a WAV file (8 or 16 kHz mono 16-bit PCM); {@code loop} for music on hold. */
    public static WavPlayer open(Path wav, boolean loop) throws IOException {
        return new WavPlayer(AudioClip.load(wav), loop);
    }

    /** Plays a WAV file held in memory. */
    public static WavPlayer of(byte[] wav, boolean loop) throws IOException {
        return new WavPlayer(AudioClip.of(wav), loop);
    }

    public AudioClip clip() {
        return clip;
    }

    /**
     * The next frame. The last, partial frame is padded with silence and still returns true;
     * after it, a non-looping player returns false (with silence). A looping player wraps
     * around seamlessly and never ends (unless closed or the clip is empty).
     */
    @Override
    public boolean read(short[] frame) {
        int length = clip.length();
        if (closed || length == 0 || (!loop && position >= length)) {
            Arrays.fill(frame, 0, N, (short) 0);
            return false;
        }
        int filled = 0;
        while (filled < N) {
            int n = Math.min(N - filled, length - position);
            clip.copy(position, frame, filled, n);
            filled += n;
            position += n;
            if (position >= length) {
                if (!loop) {
                    Arrays.fill(frame, filled, N, (short) 0);
                    break;
                }
                position = 0;
            }
        }
        return true;
    }

    /** Starts again from the beginning (same thread as {@link #read}). */
    public void rewind() {
        position = 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
