package io.tandem.telephony.codec;

import java.util.Locale;

/**
 * A codec as SDP names it ({@code a=rtpmap:<payloadType> <encodingName>/<clockRate>[/<channels>]}).
 *
 * @param encodingName the rtpmap encoding name, e.g. {@code PCMU}, {@code opus}
 * @param payloadType  the RTP payload type number (static or dynamic)
 * @param clockRate    the RTP clock rate from the rtpmap (G.722 says 8000 by RFC 3551 §4.5.2)
 * @param channels     audio channels from the rtpmap (1 unless stated; Opus says 2)
 */
public record CodecSpec(String encodingName, int payloadType, int clockRate, int channels) {

    public static final CodecSpec PCMU = new CodecSpec("PCMU", 0, 8000, 1);
    public static final CodecSpec PCMA = new CodecSpec("PCMA", 8, 8000, 1);
    public static final CodecSpec G722 = new CodecSpec("G722", 9, 8000, 1);
    public static final CodecSpec OPUS = new CodecSpec("opus", 111, 48000, 2);
    public static final CodecSpec TELEPHONE_EVENT = new CodecSpec("telephone-event", 101, 8000, 1);

    public CodecSpec {
        if (encodingName == null || encodingName.isBlank()) {
            throw new IllegalArgumentException("encoding name is required");
        }
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range 0..127: " + payloadType);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive: " + channels);
        }
    }

    /** True when both name the same codec (case-insensitive name, same rate and channels), whatever the payload type. */
    public boolean sameCodecAs(CodecSpec other) {
        return encodingName.equalsIgnoreCase(other.encodingName)
                && clockRate == other.clockRate
                && channels == other.channels;
    }

    /** This codec under another (dynamic) payload type. */
    public CodecSpec withPayloadType(int pt) {
        return new CodecSpec(encodingName, pt, clockRate, channels);
    }

    /** The rtpmap value, e.g. {@code PCMU/8000} or {@code opus/48000/2}. */
    public String rtpmap() {
        return encodingName + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    /** RTP timestamp units in one 20 ms frame. */
    public int timestampStep() {
        return clockRate / 50;
    }

    public String key() {
        return encodingName.toLowerCase(Locale.ROOT) + "/" + clockRate + "/" + channels;
    }
}
