package io.tandem.callback.room;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.tandem.callback.cluster.ServiceKeys;
import io.tandem.callback.security.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/pushes?room=<id>&limit=<n>}: the supervisor's tenant's push records, newest first — every ring
 * and cancel sent about a parked caller, with the provider's answer (its id, or its reason for refusing).
 */
@RestController
class PushRecordController {

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    /** Records looked at when filtering by room, newest first. */
    private static final int SCAN_MAX = 10_000;

    /** One push as recorded ({@code tandem:{t}:pushes}). */
    record PushRecord(
            @JsonProperty("id") String id,
            @JsonProperty("at") long at,
            @JsonProperty("room") String room,
            @JsonProperty("user") String user,
            @JsonProperty("device") String device,
            @JsonProperty("provider") String provider,
            @JsonProperty("kind") String kind,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("detail") String detail,
            @JsonProperty("instance") String instance) {
    }

    private final RedisCommands<String, String> redis;

    PushRecordController(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @GetMapping("/api/v1/pushes")
    ResponseEntity<?> list(@AuthenticationPrincipal Supervisor supervisor,
            @RequestParam(required = false) String room, @RequestParam(required = false) String limit) {
        if (room != null && !ROOM.matcher(room).matches()) {
            return bad("room", "must be a room id");
        }
        int max = DEFAULT_LIMIT;
        if (limit != null) {
            max = limit.matches("[0-9]{1,4}") ? Integer.parseInt(limit) : 0;
            if (max < 1 || max > MAX_LIMIT) {
                return bad("limit", "must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        List<PushRecord> records = new ArrayList<>();
        List<StreamMessage<String, String>> newest = redis.xrevrange(ServiceKeys.pushRecords(supervisor.tenant()),
                Range.create("-", "+"), Limit.create(0, room == null ? max : SCAN_MAX));
        for (StreamMessage<String, String> entry : newest) {
            Map<String, String> f = entry.getBody();
            if (room != null && !room.equals(f.get("room"))) {
                continue;
            }
            records.add(new PushRecord(entry.getId(), number(f.get("at")), f.getOrDefault("room", ""),
                    f.getOrDefault("user", ""), f.getOrDefault("device", ""), f.getOrDefault("provider", ""),
                    f.getOrDefault("kind", ""), f.getOrDefault("outcome", ""), f.getOrDefault("detail", ""),
                    f.getOrDefault("instance", "")));
            if (records.size() == max) {
                break;
            }
        }
        return ResponseEntity.ok(records);
    }

    private static long number(String value) {
        return value != null && value.matches("[0-9]{1,19}") ? Long.parseLong(value) : 0;
    }

    private static ResponseEntity<ProblemDetail> bad(String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + " " + message);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return ResponseEntity.badRequest().body(problem);
    }
}
