package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a phone registers as: {@code sip:<username>@<domain>} with digest realm {@code realm}. The password is the one
 * the agent logged in with; nodes keep only its HA1 hashes.
 */
public record SipAccount(
        @JsonProperty("username") String username,
        @JsonProperty("realm") String realm,
        @JsonProperty("domain") String domain) {
}
