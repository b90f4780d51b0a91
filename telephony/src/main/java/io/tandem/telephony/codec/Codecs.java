package io.tandem.telephony.codec;

import java.util.List;
import java.util.Locale;

/**
 * The codecs Tandem speaks, in the order it prefers them, and the factory that turns a
 * negotiated {@link CodecSpec} into a working {@link AudioCodec}.
 *
 * <p>Preference: PCMU and PCMA first because every SIP device has them and they cost nothing;
 * G.722 next (wideband phones), then Opus (mobile apps over lossy links). L16 is never offered
 * by default — 128 kbit/s for no gain on a call — but is accepted when a caller or a test asks.
 *
 * <p>Matching follows RFC 4566 §6 / RFC 3551: the encoding name is case-insensitive and the
 * payload type is whatever the SDP said, so a codec on a non-default number is created with
 * that number.
 */
public final class Codecs {
    /** G.711 is stateless: one instance per law serves every call that uses the static type. */
    private static final G711Codec SHARED_PCMU = G711Codec.pcmu();
    private static final G711Codec SHARED_PCMA = G711Codec.pcma();

    private static final List<CodecSpec> DEFAULT_ORDER =
            List.of(CodecSpec.PCMU, CodecSpec.PCMA, CodecSpec.G722, CodecSpec.OPUS);
    private static final List<CodecSpec> WITH_L16 =
            List.of(CodecSpec.PCMU, CodecSpec.PCMA, CodecSpec.G722, CodecSpec.OPUS,
                    L16Codec.L16_8000, L16Codec.L16_16000);

    private enum Kind { PCMU, PCMA, G722, OPUS, L16 }

    private Codecs() {
    }

    /** What we offer and accept by default, most preferred first: PCMU, PCMA, G722, opus. */
    public static List<CodecSpec> supported() {
        return DEFAULT_ORDER;
    }

    /** {@link #supported()} followed by L16/8000 and L16/16000, for when linear PCM is wanted. */
    public static List<CodecSpec> supportedWithL16() {
        return WITH_L16;
    }

    /** True when {@link #create} can build this codec (any payload type). */
    public static boolean isSupported(CodecSpec spec) {
        return spec != null && kindOf(spec) != null;
    }

    /**
     * A new codec instance for one RTP session, reporting {@code spec}'s payload type.
     * (PCMU and PCMA on their static types come back as a shared stateless instance.)
     *
     * @throws IllegalArgumentException naming the codec when it is not one we implement
     */
    public static AudioCodec create(CodecSpec spec) {
        Kind kind = spec == null ? null : kindOf(spec);
        if (kind == null) {
            throw new IllegalArgumentException("unsupported codec " + describe(spec)
                    + "; supported: PCMU/8000, PCMA/8000, G722/8000, opus/48000/2, L16/8000, L16/16000");
        }
        return switch (kind) {
            case PCMU -> spec.payloadType() == CodecSpec.PCMU.payloadType()
                    ? SHARED_PCMU : new RenumberedCodec(SHARED_PCMU, spec);
            case PCMA -> spec.payloadType() == CodecSpec.PCMA.payloadType()
                    ? SHARED_PCMA : new RenumberedCodec(SHARED_PCMA, spec);
            case G722 -> new G722Codec(spec);
            case OPUS -> new OpusCodec(spec);
            case L16 -> new L16Codec(spec);
        };
    }

    private static Kind kindOf(CodecSpec spec) {
        String name = spec.encodingName().toUpperCase(Locale.ROOT);
        int rate = spec.clockRate();
        int channels = spec.channels();
        return switch (name) {
            case "PCMU" -> rate == 8000 && channels == 1 ? Kind.PCMU : null;
            case "PCMA" -> rate == 8000 && channels == 1 ? Kind.PCMA : null;
            // RFC 3551 §4.5.2: G722/8000 even though it samples at 16 kHz.
            case "G722" -> rate == 8000 && channels == 1 ? Kind.G722 : null;
            // RFC 7587 §7 mandates opus/48000/2; accept the channel count left out, as some UAs do.
            case "OPUS" -> rate == 48000 && (channels == 2 || channels == 1) ? Kind.OPUS : null;
            case "L16" -> (rate == 8000 || rate == 16000) && channels == 1 ? Kind.L16 : null;
            default -> null;
        };
    }

    private static String describe(CodecSpec spec) {
        return spec == null ? "null" : spec.rtpmap() + " (payload type " + spec.payloadType() + ")";
    }
}
