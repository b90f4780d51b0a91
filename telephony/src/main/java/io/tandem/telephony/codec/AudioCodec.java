package io.tandem.telephony.codec;

import io.tandem.telephony.media.AudioFrames;

/**
 * Converts between one 20 ms frame of pipeline audio (see {@link AudioFrames}) and one RTP
 * payload. Instances may keep state (ADPCM predictors, Opus), so every RTP session owns
 * its own encoder/decoder instance; instances are not thread-safe.
 */
public interface AudioCodec {

    CodecSpec spec();

    /** Largest payload one 20 ms frame can encode to; callers size buffers with it. */
    int maxPayloadSize();

    /**
     * Encodes {@link AudioFrames#SAMPLES_PER_FRAME} samples into {@code out} at {@code offset}.
     *
     * @return the number of payload bytes written
     */
    int encode(short[] pcm, byte[] out, int offset);

    /**
     * Decodes one RTP payload into {@link AudioFrames#SAMPLES_PER_FRAME} samples.
     *
     * @return the number of samples written (160), or 0 when the payload is unusable
     */
    int decode(byte[] payload, int offset, int length, short[] pcm);

    /** Fills {@code pcm} with a stand-in for one lost frame. Default: silence. */
    default void conceal(short[] pcm) {
        java.util.Arrays.fill(pcm, 0, AudioFrames.SAMPLES_PER_FRAME, (short) 0);
    }
}
