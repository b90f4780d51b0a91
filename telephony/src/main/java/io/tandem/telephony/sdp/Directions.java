package io.tandem.telephony.sdp;

import io.tandem.telephony.media.MediaDirection;

/** Direction algebra for RFC 3264 §6.1: what both sides allow. */
final class Directions {
    private Directions() {
    }

    static MediaDirection of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? MediaDirection.SENDRECV : MediaDirection.SENDONLY;
        }
        return receives ? MediaDirection.RECVONLY : MediaDirection.INACTIVE;
    }

    static MediaDirection intersect(MediaDirection a, MediaDirection b) {
        return of(a.sends() && b.sends(), a.receives() && b.receives());
    }

    static MediaDirection withoutSending(MediaDirection d) {
        return of(false, d.receives());
    }
}
