package io.tandem.backend.campaign;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.Collection;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * The numbers never called: the tenant's list ({@link Keys#doNotCall}), for every campaign, and each campaign's own
 * ({@link Keys#campaignDnc}). Checked for every contact the scheduler claims, before any trunk is seized.
 */
@Service
public class DoNotCall {

    private final Redis redis;

    public DoNotCall(Redis redis) {
        this.redis = redis;
    }

    /** True when {@code number} may not be called by {@code campaign}. */
    boolean listed(String tenant, String campaign, String number) {
        return redis.commands().sismember(Keys.doNotCall(tenant), number)
                || redis.commands().sismember(Keys.campaignDnc(tenant, campaign), number);
    }

    /** Adds numbers to the tenant's list ({@code campaign} null) or to a campaign's; returns how many were new. */
    long add(String tenant, String campaign, Collection<String> numbers) {
        return numbers.isEmpty() ? 0 : redis.commands().sadd(key(tenant, campaign), numbers.toArray(String[]::new));
    }

    long remove(String tenant, String campaign, String number) {
        return redis.commands().srem(key(tenant, campaign), number);
    }

    Set<String> list(String tenant, String campaign) {
        return redis.commands().smembers(key(tenant, campaign));
    }

    private static String key(String tenant, String campaign) {
        return campaign == null ? Keys.doNotCall(tenant) : Keys.campaignDnc(tenant, campaign);
    }
}
