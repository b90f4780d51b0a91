package io.tandem.telephony.ua;

import io.tandem.telephony.codec.AudioCodec;
import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.codec.G711Codec;

/** A fresh codec instance for a negotiated {@link CodecSpec}. */
final class CodecChoice {
    private CodecChoice() {
    }

    static AudioCodec create(CodecSpec spec) {
        if (spec.sameCodecAs(CodecSpec.PCMU)) {
            return G711Codec.pcmu();
        }
        if (spec.sameCodecAs(CodecSpec.PCMA)) {
            return G711Codec.pcma();
        }
        throw new IllegalArgumentException("no codec implementation for " + spec.rtpmap());
    }
}
