package io.tandem.telephony.media;

/**
 * Something that produces audio one 20 ms frame at a time: a WAV player, a tone, a
 * microphone, the far end of a call, a conference mix.
 */
public interface MediaSource extends AutoCloseable {

    /**
     * Fills {@code frame} ({@link AudioFrames#SAMPLES_PER_FRAME} samples) with the next
     * 20 ms of audio.
     *
     * @return false when the source has nothing more to give (the frame is then silence)
     */
    boolean read(short[] frame);

    @Override
    default void close() {
    }
}
