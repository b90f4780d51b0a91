package io.tandem.backend.trunk;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Who may dial what outside: the tenant's {@link DialPlan} ({@link Keys#dialPlan}) and each user's
 * {@link Permission} ({@link Keys#dialPermissions}); a user without one has {@link DialPermission#NONE}.
 */
@Service
public class Dialling {

    private final Redis redis;

    public Dialling(Redis redis) {
        this.redis = redis;
    }

    /**
     * A user's outside-call rights.
     *
     * @param permission   the farthest class of number the user may call
     * @param callerNumber the user's own outside number, presented by {@code pass-through} trunks when it is one of
     *                     the tenant's DIDs; may be empty
     */
    public record Permission(DialPermission permission, String callerNumber) {
        public Permission {
            permission = permission == null ? DialPermission.NONE : permission;
            callerNumber = callerNumber == null ? "" : callerNumber;
        }

        static final Permission NONE = new Permission(DialPermission.NONE, "");
    }

    public DialPlan plan(String tenant) {
        String json = redis.commands().get(Keys.dialPlan(tenant));
        return json == null ? DialPlan.NONE : decode(json, DialPlan.class);
    }

    void savePlan(String tenant, DialPlan plan) {
        redis.commands().set(Keys.dialPlan(tenant), Trunks.encode(plan));
    }

    public Permission permission(String tenant, String user) {
        return Optional.ofNullable(redis.commands().hget(Keys.dialPermissions(tenant), user))
                .map(json -> decode(json, Permission.class)).orElse(Permission.NONE);
    }

    void savePermission(String tenant, String user, Permission permission) {
        redis.commands().hset(Keys.dialPermissions(tenant), user, Trunks.encode(permission));
    }

    private static <T> T decode(String json, Class<T> type) {
        try {
            return Trunks.JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in Redis: "
                    + e.getOriginalMessage(), e);
        }
    }
}
