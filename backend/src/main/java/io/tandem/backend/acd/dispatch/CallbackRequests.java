package io.tandem.backend.acd.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.acd.AcdScripts;
import io.tandem.backend.redis.Keys;
import io.tandem.protocol.CallbackRequest;
import io.tandem.protocol.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Callback requests: callers who left a queue to be called back. One stream per tenant ({@link Keys#callbacks}),
 * written with a {@code callback.requested} tenant event in one script, so supervisors see the request the moment
 * the callback service can read it.
 */
@Service
public class CallbackRequests {

    /** Why the caller is to be called back (the {@code cause} field of the stream). */
    public enum Cause {
        TIMEOUT("timeout"), KEY("key"), FULL("full"), EMPTY("empty"), UNREACHABLE("unreachable");

        private final String wire;

        Cause(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final AcdScripts scripts;
    private final ObjectMapper json = Protocol.mapper();

    CallbackRequests(AcdScripts scripts) {
        this.scripts = scripts;
    }

    /** Records a request; returns its id. */
    public String request(String tenant, String queue, String callId, String number, String name,
            long waitedSeconds, int priority, Map<String, String> data, Cause cause) {
        String encoded;
        try {
            encoded = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("custom data not encodable", e);
        }
        Object id = scripts.run(AcdScripts.CALLBACK, tenant, List.of(Keys.callbacks(tenant)), callId, number,
                name == null ? "" : name, queue, Long.toString(waitedSeconds), Integer.toString(priority), encoded,
                cause.wire());
        return id.toString();
    }

    /** Requests after {@code after} (exclusive; null = from the oldest), oldest first, at most {@code max}. */
    public List<CallbackRequest> list(String tenant, String after, int max) {
        Range<String> range = Range.create(after == null || after.isEmpty() ? "-" : "(" + after, "+");
        List<CallbackRequest> out = new ArrayList<>();
        for (StreamMessage<String, String> m : scripts.redis().commands().xrange(Keys.callbacks(tenant), range,
                Limit.create(0, max))) {
            Map<String, String> b = m.getBody();
            out.add(new CallbackRequest(m.getId(), b.get("callId"), b.get("number"), b.get("name"), b.get("queue"),
                    parse(b.get("waitedSeconds")), (int) parse(b.get("priority")), CallerData.decode(b.get("data")),
                    b.get("cause"), b.get("node"), Instant.ofEpochMilli(parse(b.get("at")))));
        }
        return out;
    }

    private static long parse(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
