package io.tandem.callback.cluster;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The service in the cluster ({@code tandem.callback.*}): where Redis is, who this instance is, and the timings of
 * its consumers and checks.
 *
 * @param redisUri           the cluster's Redis ({@code redis://}, {@code rediss://} or {@code redis-sentinel://})
 * @param name               this instance's consumer name in the {@code callback} group; empty = host name and pid
 * @param clusterSecret      signs join tokens; the same value as the nodes' {@code tandem.node.cluster-secret}
 *                           (UTF-8 bytes), at least 16 characters
 * @param parkTimeout        how long a parked caller waits before the node closes the room; a join token expires then
 * @param tenantsRefresh     how often the tenant list ({@code tandem:tenants}) is read again
 * @param readBlock          how long one XREADGROUP waits for entries (also the longest a clean stop waits)
 * @param readCount          entries one XREADGROUP returns at most
 * @param claimIdle          an entry another instance read and did not acknowledge for this long is taken over
 *                           (XAUTOCLAIM): that instance is presumed dead
 * @param claimInterval      how often each instance looks for such entries
 * @param roomCheckInterval  how often the parked rooms' nodes are checked for a heartbeat
 * @param wakeTierCheck      how often the rooms of queues that wake by tiers are checked for a tier that is due (a
 *                           tier is woken at most this much after its delay)
 * @param ledgerTtl          how long a push is remembered for idempotency
 * @param recordsMaxLength   approximate length kept of a tenant's push record stream ({@code XADD MAXLEN ~})
 * @param eventsMaxLength    approximate length kept of a tenant's event stream, as the nodes keep it
 * @param defaultTenant      tenant of an HTTP login without {@code @tenant}, as on the nodes
 * @param handlers           stream entries one tenant's consumer handles at once (entries of one room still one
 *                           after another): a slow push provider answer holds up only its own room
 */
@Validated
@ConfigurationProperties("tandem.callback")
public record CallbackProperties(
        @DefaultValue("redis://127.0.0.1:6379") @NotBlank String redisUri,
        @DefaultValue("") String name,
        String clusterSecret,
        @DefaultValue("90s") @NotNull Duration parkTimeout,
        @DefaultValue("10s") @NotNull Duration tenantsRefresh,
        @DefaultValue("2s") @NotNull Duration readBlock,
        @DefaultValue("50") @Min(1) @Max(10_000) int readCount,
        @DefaultValue("15s") @NotNull Duration claimIdle,
        @DefaultValue("5s") @NotNull Duration claimInterval,
        @DefaultValue("5s") @NotNull Duration roomCheckInterval,
        @DefaultValue("1s") @NotNull Duration wakeTierCheck,
        @DefaultValue("1d") @NotNull Duration ledgerTtl,
        @DefaultValue("100000") @Min(100) long recordsMaxLength,
        @DefaultValue("100000") @Min(100) long eventsMaxLength,
        @DefaultValue("demo") @NotBlank String defaultTenant,
        @DefaultValue("64") @Min(1) @Max(1_000) int handlers) {

    /** The shortest cluster secret accepted, as on the nodes. */
    static final int MIN_SECRET = 16;

    public CallbackProperties {
        if (clusterSecret == null || clusterSecret.length() < MIN_SECRET) {
            throw new IllegalArgumentException("tandem.callback.cluster-secret is required: at least " + MIN_SECRET
                    + " characters, the same value as the nodes' tandem.node.cluster-secret");
        }
        requirePositive("park-timeout", parkTimeout);
        requirePositive("tenants-refresh", tenantsRefresh);
        requirePositive("read-block", readBlock);
        requirePositive("claim-idle", claimIdle);
        requirePositive("claim-interval", claimInterval);
        requirePositive("room-check-interval", roomCheckInterval);
        requirePositive("wake-tier-check", wakeTierCheck);
        requirePositive("ledger-ttl", ledgerTtl);
        if (name == null || name.isBlank()) {
            name = hostName() + "-" + ProcessHandle.current().pid();
        } else if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("tandem.callback.name: '" + name
                    + "' must be letters, digits, '.', '_' or '-' (at most 63)");
        }
    }

    private static void requirePositive(String property, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("tandem.callback." + property + " must be positive (got " + value + ")");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            // The JVM's own name (pid@host) still tells instances apart.
            return ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9._-]", "-");
        }
    }

    @Override
    public String toString() {
        return "CallbackProperties[name=" + name + ", clusterSecret=***, parkTimeout="
                + parkTimeout + "]";
    }
}
