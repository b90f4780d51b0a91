package io.tandem.telephony.sip;

import java.util.Objects;

/**
 * Why a request is refused before any feature sees it: the status and reason phrase to answer with. For ACK the
 * endpoint discards instead of answering (RFC 3261 §17.2.3: ACK gets no response).
 *
 * @param status a 4xx/5xx status code
 * @param reason the reason phrase, precise enough to debug the sender (e.g. "CSeq method does not match")
 * @param unsupported for 420 only: the option tags to list in {@code Unsupported} (RFC 3261 §8.2.2.3), else empty
 */
public record Rejection(int status, String reason, java.util.List<String> unsupported) {

    public Rejection {
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a rejection is a 4xx-6xx status: " + status);
        }
        Objects.requireNonNull(reason, "reason");
        unsupported = unsupported == null ? java.util.List.of() : java.util.List.copyOf(unsupported);
    }

    public Rejection(int status, String reason) {
        this(status, reason, java.util.List.of());
    }
}
