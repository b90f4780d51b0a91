package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;

import java.util.Optional;

/** RFC 3551 §6 Table 4 (audio) and Table 5 (video): payload types that need no {@code a=rtpmap}. */
final class StaticPayloadTypes {
    private static final CodecSpec[] TABLE = new CodecSpec[35];

    static {
        put("PCMU", 0, 8000, 1);
        put("GSM", 3, 8000, 1);
        put("G723", 4, 8000, 1);
        put("DVI4", 5, 8000, 1);
        put("DVI4", 6, 16000, 1);
        put("LPC", 7, 8000, 1);
        put("PCMA", 8, 8000, 1);
        // RFC 3551 §4.5.2: G.722 samples at 16 kHz but the RTP clock and the rtpmap say 8000.
        put("G722", 9, 8000, 1);
        put("L16", 10, 44100, 2);
        put("L16", 11, 44100, 1);
        put("QCELP", 12, 8000, 1);
        put("CN", 13, 8000, 1);
        put("MPA", 14, 90000, 1);
        put("G728", 15, 8000, 1);
        put("DVI4", 16, 11025, 1);
        put("DVI4", 17, 22050, 1);
        put("G729", 18, 8000, 1);
        put("CelB", 25, 90000, 1);
        put("JPEG", 26, 90000, 1);
        put("nv", 28, 90000, 1);
        put("H261", 31, 90000, 1);
        put("MPV", 32, 90000, 1);
        put("MP2T", 33, 90000, 1);
        put("H263", 34, 90000, 1);
    }

    private StaticPayloadTypes() {
    }

    private static void put(String name, int pt, int rate, int channels) {
        TABLE[pt] = new CodecSpec(name, pt, rate, channels);
    }

    static Optional<CodecSpec> lookup(int payloadType) {
        return payloadType >= 0 && payloadType < TABLE.length ? Optional.ofNullable(TABLE[payloadType]) : Optional.empty();
    }

    /** True when the codec is exactly what the static table says for its payload type (so rtpmap is optional). */
    static boolean isStatic(CodecSpec codec) {
        return lookup(codec.payloadType()).map(s -> s.sameCodecAs(codec)).orElse(false);
    }
}
