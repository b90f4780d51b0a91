package io.tandem.backend.trunk;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Carrier trunks on this node ({@code tandem.trunks.*}).
 *
 * @param registrationExpiry how long this node asks a carrier to keep its registration (RFC 3261 §10.2.1.1
 *                           {@code Expires}); it is refreshed at half of what the carrier grants
 * @param registrationCheck  how often the node looks for registration trunks to register (new ones, changed ones) and
 *                           retries failed registrations
 * @param inviteTimeout      how long a carrier may leave an outside call's INVITE without any answer, not even 100
 *                           Trying (RFC 3261 §17.1.1.2: Timer A retransmits meanwhile), before the call fails over to
 *                           the next trunk; nothing reached the customer, and 32 s of Timer B would outlast the ring
 * @param healthFailures     outside calls in a row a trunk may fail definitely (503 before ringing, or no answer to
 *                           the INVITE: RFC 3261 §21.5.4, the carrier cannot take calls) before it is taken out of
 *                           rotation cluster-wide; at least 1
 * @param healthProbe        how often a node sends OPTIONS (RFC 3261 §11) to the gateway of a trunk out of rotation;
 *                           a 2xx puts it back
 * @param capsGuard          added to the 1000 ms over which a trunk's CAPS is counted (0-500 ms): the carrier counts
 *                           arrivals on its own clock, and an INVITE delayed on the way bunches with the next second's,
 *                           so a window of exactly 1000 ms lets the carrier see CAPS + 1; costs CAPS × guard / 1000
 *                           calls a second at full load
 * @param sendDeadline       how late after its channel was seized an outside call's INVITE may still be sent (1-60 s):
 *                           until it is sent, the seizure's place in the trunk's second is held this and a CAPS window
 *                           ahead, so however late the INVITE leaves it is counted; one later than this (a node
 *                           starved of CPU) is not sent, its channel is given back and the hunt goes on
 */
@Validated
@ConfigurationProperties("tandem.trunks")
public record TrunkProperties(
        @DefaultValue("600s") @NotNull Duration registrationExpiry,
        @DefaultValue("30s") @NotNull Duration registrationCheck,
        @DefaultValue("4s") @NotNull Duration inviteTimeout,
        @DefaultValue("5") int healthFailures,
        @DefaultValue("30s") @NotNull Duration healthProbe,
        @DefaultValue("20ms") @NotNull Duration capsGuard,
        @DefaultValue("8s") @NotNull Duration sendDeadline) {

    public TrunkProperties {
        if (registrationExpiry.toSeconds() < 60) {
            throw new IllegalArgumentException("tandem.trunks.registration-expiry must be at least 60s");
        }
        if (inviteTimeout.isNegative() || inviteTimeout.isZero()) {
            throw new IllegalArgumentException("tandem.trunks.invite-timeout must be positive");
        }
        if (healthFailures < 1) {
            throw new IllegalArgumentException("tandem.trunks.health-failures must be at least 1");
        }
        if (healthProbe.isNegative() || healthProbe.isZero()) {
            throw new IllegalArgumentException("tandem.trunks.health-probe must be positive");
        }
        if (capsGuard.isNegative() || capsGuard.toMillis() > 500) {
            throw new IllegalArgumentException("tandem.trunks.caps-guard must be 0-500ms (20ms by default)");
        }
        if (sendDeadline.toMillis() < 1000 || sendDeadline.toSeconds() > 60) {
            throw new IllegalArgumentException("tandem.trunks.send-deadline must be 1s-60s (8s by default)");
        }
        if (registrationCheck.isNegative() || registrationCheck.isZero()) {
            throw new IllegalArgumentException("tandem.trunks.registration-check must be positive");
        }
    }

    /** The span over which a trunk's CAPS is counted: one second and the guard, in ms. */
    public long capsWindowMillis() {
        return 1000 + capsGuard.toMillis();
    }
}
