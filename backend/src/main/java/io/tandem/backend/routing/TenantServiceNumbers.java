package io.tandem.backend.routing;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import org.springframework.stereotype.Service;

/**
 * The numbers a tenant offers to callers who are not its staff (its app users): what {@link CallAdmission} lets
 * them dial. Read from Redis, not from the features that answer them, because those features sit above routing
 * (the ACD reaches the router) and a dependency back would be a cycle.
 */
@Service
public class TenantServiceNumbers {

    private final Redis redis;

    public TenantServiceNumbers(Redis redis) {
        this.redis = redis;
    }

    /**
     * True when {@code number} is one of the tenant's service numbers: a queue. The callback feature's join numbers
     * (issue 15, part 5: a woken device dials a parked caller's room with a join token) belong here as well, once
     * the conference feature defines them.
     */
    public boolean isServiceNumber(String tenant, String number) {
        return Keys.EXTENSION.matcher(number).matches()
                && redis.commands().sismember(Keys.queues(tenant), number);
    }
}
