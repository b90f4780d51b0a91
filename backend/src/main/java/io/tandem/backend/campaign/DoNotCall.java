package io.tandem.backend.campaign;

import io.lettuce.core.RedisFuture;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * The numbers never called: the tenant's list ({@link Keys#doNotCall}), for every campaign, and each campaign's own
 * ({@link Keys#campaignDnc}). Checked for every contact the scheduler claims (a claim's numbers at once), before any trunk is seized.
 */
@Service
public class DoNotCall {

    private final Redis redis;

    public DoNotCall(Redis redis) {
        this.redis = redis;
    }

    /**
     * Which of {@code numbers} may not be called by {@code campaign}: both lists asked at once ({@code SMISMEMBER},
     * pipelined), one round trip for a whole claim.
     */
    Set<String> listed(String tenant, String campaign, List<String> numbers) {
        if (numbers.isEmpty()) {
            return Set.of();
        }
        String[] asked = numbers.toArray(String[]::new);
        RedisFuture<List<Boolean>> tenants = redis.async().smismember(Keys.doNotCall(tenant), asked);
        RedisFuture<List<Boolean>> campaigns = redis.async().smismember(Keys.campaignDnc(tenant, campaign), asked);
        List<Boolean> onTenants = Redis.await(tenants);
        List<Boolean> onCampaigns = Redis.await(campaigns);
        Set<String> listed = new HashSet<>();
        for (int i = 0; i < asked.length; i++) {
            if (onTenants.get(i) || onCampaigns.get(i)) {
                listed.add(asked[i]);
            }
        }
        return listed;
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
