package io.tandem.telephony.media;

/** Something that consumes audio one 20 ms frame at a time: a speaker, a recorder, a mixer input. */
public interface MediaSink extends AutoCloseable {

    /** Consumes one frame of {@link AudioFrames#SAMPLES_PER_FRAME} samples; must not keep the array. */
    void write(short[] frame);

    @Override
    default void close() {
    }
}
