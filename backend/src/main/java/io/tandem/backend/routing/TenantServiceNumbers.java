package io.tandem.backend.routing;

import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.regex.Pattern;
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
     * A parked caller's room's join number, {@code join*<token>} (issue 15, part 5): a woken device dials it with
     * the join token of its push. Only RFC 3261 §25.1 unreserved characters, so any phone can dial it; longer than
     * an extension. The conference feature checks the token (signature, expiry, its user, single use).
     */
    public static final Pattern JOIN_NUMBER = Pattern.compile("join\\*[A-Za-z0-9._~-]{1,1000}");

    /** True when {@code number} is one of the tenant's service numbers: a queue, or a room's join number. */
    public boolean isServiceNumber(String tenant, String number) {
        return JOIN_NUMBER.matcher(number).matches() || Keys.EXTENSION.matcher(number).matches()
                && redis.commands().sismember(Keys.queues(tenant), number);
    }
}
