package io.tandem.backend.trunk;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A tenant's carrier trunk: the SIP gateway outside calls go to and DID calls come from. Stored as JSON in
 * {@code tandem:{t}:trunks}; the digest password of an outbound registration is kept apart and never shown.
 *
 * @param id          the trunk's name in the tenant (letters, digits, '.', '_', '-')
 * @param host        the carrier's SIP gateway (IP literal or host name)
 * @param port        its SIP port
 * @param transport   how INVITEs are sent to it
 * @param authentication how the carrier and this node know each other
 * @param addresses   the carrier's source addresses (IP literals): an INVITE for a DID is taken only from these
 * @param username    the digest user of an outbound registration ({@link Authentication#REGISTRATION})
 * @param caps        calls (INVITEs) per second sent at most, cluster-wide; 0 for no limit
 * @param maxChannels outside calls at once at most, cluster-wide; 0 for no limit
 * @param codecs      codecs the carrier takes, in preference order (names as in SDP: PCMU, PCMA, G722, opus)
 * @param callerId    which number the carrier is shown as the caller
 * @param priority    hunting order: the lowest first
 * @param state       in service or out of service
 * @param stateReason why it is out of service (an operator's words), empty in service
 */
public record Trunk(String id, String host, int port, Transport transport, Authentication authentication,
        List<String> addresses, String username, int caps, int maxChannels, List<String> codecs, CallerId callerId,
        int priority, State state, String stateReason) {

    public Trunk {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
        stateReason = stateReason == null ? "" : stateReason;
    }

    /** How INVITEs travel to the carrier. */
    public enum Transport {
        @JsonProperty("udp") UDP,
        @JsonProperty("tcp") TCP;

        String wire() {
            return this == UDP ? "udp" : "tcp";
        }
    }

    /** How the carrier recognises this node and this node the carrier. */
    public enum Authentication {
        /** By source address both ways: the carrier's {@code addresses} are the only ones a DID call is taken from. */
        @JsonProperty("address") ADDRESS,
        /** The node registers to the carrier with digest credentials (RFC 3261 §10.2, §22). */
        @JsonProperty("registration") REGISTRATION
    }

    /** In service (hunted, takes DID calls) or not. */
    public enum State {
        @JsonProperty("in-service") IN_SERVICE,
        @JsonProperty("out-of-service") OUT_OF_SERVICE
    }

    /** How the caller's number is presented to the carrier (the From user of our INVITE). */
    public enum CallerIdMode {
        /** Always the trunk's {@code number} (a company's main number). */
        @JsonProperty("presented") PRESENTED,
        /**
         * The caller's own outside number (its dial permission's {@code callerNumber}) when that number is one of the
         * tenant's DIDs, else the trunk's {@code number}: nobody presents a number the tenant does not own.
         */
        @JsonProperty("pass-through") PASS_THROUGH
    }

    /** The caller-id rule of a trunk. */
    public record CallerId(CallerIdMode mode, String number) {
    }

    boolean inService() {
        return state == State.IN_SERVICE;
    }

    /** True when a request from {@code source} (an IP literal) comes from this carrier. */
    boolean sentFrom(String source) {
        return addresses.contains(source) || host.equals(source);
    }

    Trunk withState(State newState, String reason) {
        return new Trunk(id, host, port, transport, authentication, addresses, username, caps, maxChannels, codecs,
                callerId, priority, newState, reason);
    }
}
