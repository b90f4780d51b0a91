package io.tandem.backend.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.time.Instant;
import java.util.List;

/**
 * The calls in progress of an extension, as fields {@code call:<call-id>} of its binding hash
 * {@code tandem:{t}:reg:<ext>} (the seeds' per-user record: registration plus current calls). Written only while the
 * binding exists, so a field never creates a hash without the binding's TTL; the node holding the party's leg writes
 * it and removes it when the call ends.
 */
final class CallPresence {

    /** Sets a call field of a binding hash only when the binding exists. */
    private static final LuaScript PUT = LuaScript.load("call/presence_put", ScriptOutputType.INTEGER);

    static final String FIELD = Keys.CALL_FIELD;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final String nodeId;

    CallPresence(Redis redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    /** {@code party} is in call {@code callId} with {@code peer} since {@code since}. */
    void put(String tenant, String party, String callId, String peer, String direction, Instant since) {
        ObjectNode o = JSON.createObjectNode();
        o.put("node", nodeId);
        o.put("peer", peer);
        o.put("direction", direction);
        o.put("since", since.toEpochMilli());
        try {
            redis.run(PUT, List.of(Keys.registration(tenant, party)), FIELD + callId, JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a call field", e);
        }
    }

    void remove(String tenant, String party, String callId) {
        redis.commands().hdel(Keys.registration(tenant, party), FIELD + callId);
    }
}
