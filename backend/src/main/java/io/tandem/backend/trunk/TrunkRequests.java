package io.tandem.backend.trunk;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;

/** JSON bodies of the trunk, DID and dialling APIs. */
final class TrunkRequests {

    /** A host name or an IPv4/IPv6 literal. */
    static final String HOST = "[A-Za-z0-9][A-Za-z0-9.:-]{0,252}";
    /** An IPv4 or IPv6 literal (checked again by {@link java.net.InetAddress} in the controller). */
    static final String IP = "[0-9A-Fa-f.:]{2,45}";
    static final String NUMBER = "\\+?[0-9]{3,20}";
    static final String EXTENSION = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** The codecs the node's media engine speaks, as SDP names them (RFC 3551, RFC 3551 §4.5.2, RFC 7587). */
    static final List<String> CODECS = List.of("PCMU", "PCMA", "G722", "opus");

    private TrunkRequests() {
    }

    /** PUT body: a trunk, created or replaced whole. {@code password} is stored, never shown. */
    record TrunkBody(
            @NotBlank @Pattern(regexp = HOST, message = "must be a host name or an IP address") String host,
            @Min(1) @Max(65535) Integer port,
            Trunk.Transport transport,
            @NotNull(message = "must be one of address, registration") Trunk.Authentication authentication,
            @Size(max = 32) List<@Pattern(regexp = IP, message = "must be an IP address") String> addresses,
            @Size(max = 128) String username,
            @Size(min = 8, max = 128) String password,
            @Min(0) @Max(10000) Integer caps,
            @Min(0) @Max(100000) Integer maxChannels,
            @Size(max = 8) List<String> codecs,
            @Valid CallerIdBody callerId,
            @Min(0) @Max(1000) Integer priority,
            Trunk.State state,
            @Size(max = 200) String stateReason) {
    }

    /** The caller-id rule. */
    record CallerIdBody(@NotNull(message = "must be one of presented, pass-through") Trunk.CallerIdMode mode,
            @Pattern(regexp = NUMBER, message = "must be a number: an optional '+' and 3-20 digits") String number) {
    }

    /** PUT body of a trunk's state. */
    record StateBody(@NotNull(message = "must be one of in-service, out-of-service") Trunk.State state,
            @Size(max = 200) String reason) {
    }

    /**
     * A trunk as the API shows it: never the password, only whether one is stored; for a registration trunk, its
     * state on each node (node id → {@code {state, status, expiresAt}}).
     */
    record TrunkView(String tenant, Trunk trunk, boolean passwordStored, Map<String, JsonNode> registrations) {
    }

    /** A queue number, an extension, or a prompt's name (a path under the prompt directory, without .wav). */
    static final String DESTINATION = "[A-Za-z0-9][A-Za-z0-9._/-]{0,63}";

    /** PUT body of a DID; {@code loop} and {@code maxSeconds} only for a prompt. */
    record DidBody(@NotNull(message = "must be one of queue, extension, callback, prompt") Did.Target target,
            @NotBlank @Pattern(regexp = DESTINATION, message = "must be a queue number, an extension or a prompt's name")
            String destination,
            Boolean loop,
            @Min(value = 1, message = "must be 1-3600 seconds") @Max(value = 3600, message = "must be 1-3600 seconds")
            Integer maxSeconds) {
    }

    /** PUT body of a tenant's dial plan. */
    record DialPlanBody(
            @Pattern(regexp = "[1-9][0-9]{0,2}|", message = "must be a country code: 1-3 digits") String countryCode,
            @Pattern(regexp = "[0-9]{0,6}", message = "must be 0-6 digits") String areaCode,
            @Pattern(regexp = "[0-9]{0,3}", message = "must be 0-3 digits") String nationalPrefix,
            @Pattern(regexp = "[0-9]{0,4}", message = "must be 0-4 digits") String internationalPrefix,
            @Pattern(regexp = "[0-9]{0,3}", message = "must be 0-3 digits") String outsidePrefix) {

        DialPlan plan() {
            return new DialPlan(countryCode, areaCode, nationalPrefix, internationalPrefix, outsidePrefix);
        }
    }

    /** PUT body of a user's outside-call rights. */
    record PermissionBody(
            @NotNull(message = "must be one of none, local, national, international") DialPermission permission,
            @Pattern(regexp = NUMBER, message = "must be a number: an optional '+' and 3-20 digits")
            String callerNumber) {
    }
}
