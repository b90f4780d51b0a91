package io.tandem.telephony.sdp;

import java.util.Objects;

/**
 * The {@code o=} line (RFC 4566 §5.2). Session id and version are kept as the digit strings they were sent as:
 * some stacks use NTP timestamps that overflow a signed long.
 */
public record Origin(String username, String sessionId, String sessionVersion, Connection address) {

    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(address, "address");
        if (username.isEmpty() || username.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("origin username must be one non-empty token: '" + username + "'");
        }
    }

    public static Origin of(String username, long sessionId, long sessionVersion, Connection address) {
        return new Origin(username, Long.toString(sessionId), Long.toString(sessionVersion), address);
    }

    /** The value after {@code o=}. */
    public String encode() {
        return username + " " + sessionId + " " + sessionVersion + " " + address.encode();
    }
}
