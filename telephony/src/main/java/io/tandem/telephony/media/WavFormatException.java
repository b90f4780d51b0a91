package io.tandem.telephony.media;

import java.io.IOException;

/** A WAV file Tandem cannot play: the message names the problem (stereo, 8-bit, μ-law, truncated...). */
public final class WavFormatException extends IOException {
    public WavFormatException(String message) {
        super(message);
    }
}
