package io.tandem.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/v1/tenants/{t}/calls/{callId}/monitor} ({@code mode} and optional {@code extension}, the
 * supervisor's own by default) and of {@code PUT} on it (only {@code mode}).
 */
public record MonitorRequest(
        @JsonProperty("mode") String mode,
        @JsonProperty("extension") String extension) {
}
