package io.tandem.backend.registrar;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The registrar ({@code tandem.registrar.*}).
 *
 * @param minExpires     shortest binding granted; a request below it gets 423 with Min-Expires (RFC 3261 §10.3 step 7)
 * @param maxExpires     longest binding granted; a request above it is granted this
 * @param defaultExpires expiry of a contact that asks for none (no {@code expires} param, no Expires header)
 * @param bindingGrace   how long a binding outlives its expiry in Redis before the key goes (a refresh in flight)
 * @param maxContacts    contacts per address of record; a new one beyond it replaces the least recently refreshed
 * @param nonceValidity  how long a digest nonce is accepted; after it the client gets {@code stale=true}
 * @param algorithms     digest algorithms offered, one challenge each, in this order. MD5 comes first by default:
 *                       clients that read only the first challenge, or know only MD5 (SIPp 3.6, many desk phones),
 *                       fail outright on a SHA-256 one; RFC 8760 clients still find SHA-256 offered. Put SHA-256
 *                       first where every phone supports it.
 * @param md5OnlyUserAgents User-Agent substrings (case-insensitive) of clients that get the MD5 challenge only:
 *                       baresip 1.0 (libre 1.1) gives up with ENOSYS on any challenge it cannot compute instead of
 *                       using the MD5 one next to it; SIP.js 0.21 (the browser phone's library) keeps the last
 *                       challenge of a 401 and computes MD5 only
 * @param floodThreshold wrong-password REGISTERs from one source address within {@code floodWindow} that block it
 * @param floodWindow    window over which failures are counted
 * @param floodBlock     how long a blocked source stays blocked (every node refuses it: the block is in Redis)
 * @param pushBindingLifetime how long an RFC 8599 push binding outlives the REGISTER that carried it: the app's
 *                       device sleeps with no SIP binding and is woken through it; at least {@code maxExpires} (it
 *                       outlives the SIP binding), at most 365 days
 * @param ha1CacheSize   users whose HA1s a node keeps after they authenticated, so that their next REGISTER is checked
 *                       without a directory read (the binding's write confirms the HA1 is still the stored one, so a
 *                       changed password or a deleted user is never accepted); 0 reads the directory every time
 * @param ha1CacheLifetime how long a kept HA1 is used before it is read again: longer than a phone's refresh
 *                       interval (at most {@code maxExpires}) so that refreshes find it; it only bounds the memory of
 *                       users gone quiet, the write already refuses an HA1 that is no longer the stored one
 */
@Validated
@ConfigurationProperties("tandem.registrar")
public record RegistrarProperties(
        @DefaultValue("60s") @NotNull Duration minExpires,
        @DefaultValue("3600s") @NotNull Duration maxExpires,
        @DefaultValue("3600s") @NotNull Duration defaultExpires,
        @DefaultValue("10s") @NotNull Duration bindingGrace,
        @DefaultValue("5") @Min(1) @Max(100) int maxContacts,
        @DefaultValue("300s") @NotNull Duration nonceValidity,
        @DefaultValue({"MD5", "SHA-256"}) @NotEmpty List<String> algorithms,
        @DefaultValue({"baresip", "SIP.js"}) List<String> md5OnlyUserAgents,
        @DefaultValue("10") @Min(1) int floodThreshold,
        @DefaultValue("60s") @NotNull Duration floodWindow,
        @DefaultValue("300s") @NotNull Duration floodBlock,
        @DefaultValue("7d") @NotNull Duration pushBindingLifetime,
        @DefaultValue("100000") @Min(0) int ha1CacheSize,
        @DefaultValue("2h") @NotNull Duration ha1CacheLifetime) {

    public RegistrarProperties {
        if (minExpires != null && maxExpires != null && defaultExpires != null) {
            if (minExpires.toSeconds() < 1) {
                throw new IllegalArgumentException("tandem.registrar.min-expires must be at least 1s");
            }
            if (maxExpires.compareTo(minExpires) < 0) {
                throw new IllegalArgumentException("tandem.registrar.max-expires must not be below min-expires");
            }
            if (defaultExpires.compareTo(minExpires) < 0 || defaultExpires.compareTo(maxExpires) > 0) {
                throw new IllegalArgumentException(
                        "tandem.registrar.default-expires must lie between min-expires and max-expires");
            }
        }
        if (nonceValidity != null && nonceValidity.toMillis() < 1000) {
            throw new IllegalArgumentException("tandem.registrar.nonce-validity must be at least 1s");
        }
        if (floodWindow != null && floodBlock != null && (floodWindow.toMillis() < 1 || floodBlock.toMillis() < 1)) {
            throw new IllegalArgumentException("tandem.registrar.flood-window and flood-block must be positive");
        }
        if (pushBindingLifetime != null && maxExpires != null && (pushBindingLifetime.compareTo(maxExpires) < 0
                || pushBindingLifetime.compareTo(Duration.ofDays(365)) > 0)) {
            throw new IllegalArgumentException(
                    "tandem.registrar.push-binding-lifetime must lie between max-expires and 365d");
        }
        algorithms = algorithms == null ? List.of() : List.copyOf(algorithms);
        md5OnlyUserAgents = md5OnlyUserAgents == null ? List.of() : md5OnlyUserAgents.stream()
                .filter(s -> !s.isBlank()).map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
    }
}
