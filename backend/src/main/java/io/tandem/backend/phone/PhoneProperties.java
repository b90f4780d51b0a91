package io.tandem.backend.phone;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The browser agent phone ({@code tandem.phone.*}, the page {@code /phone}).
 *
 * @param edgeWssUri where browsers reach the edge's SIP over secure WebSocket (RFC 7118), e.g.
 *                   {@code wss://edge.example.com:8443}; empty: {@code wss://} the host the page was loaded from, port
 *                   8443 (what {@code ./tandem edge --wss-port 8443} listens on)
 * @param sipDomain  the domain part of the agents' SIP addresses as the edge knows it (the edge's address, or a
 *                   tenant's domain given to it with {@code --domain}); empty: the host of {@link #edgeWssUri}
 */
@Validated
@ConfigurationProperties("tandem.phone")
public record PhoneProperties(
        @DefaultValue("") @Pattern(regexp = "(wss://[^\\s/]+/?)?", message = "must be wss://host[:port] or empty")
        String edgeWssUri,
        @DefaultValue("") @Pattern(regexp = "([A-Za-z0-9.:\\[\\]-]+)?", message = "must be a host[:port] or empty")
        String sipDomain) {
}
