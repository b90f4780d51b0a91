package io.tandem.backend.cdr;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;

/**
 * Call records of a tenant in the stream {@code tandem:{t}:cdr}, trimmed approximately to
 * {@code tandem.cdr.max-length} ({@code XADD MAXLEN ~}, cheap because Redis trims whole macro nodes).
 *
 * <p>Entries get server-assigned ids, i.e. the time they were written, which is the call's end time give or take
 * clock skew. A query by end time therefore reads the id range widened by {@code clock-skew} and then filters on
 * the recorded end time exactly.
 */
@Service
public class CallRecords {

    private final Redis redis;
    private final CdrProperties properties;

    public CallRecords(Redis redis, CdrProperties properties) {
        this.redis = redis;
        this.properties = properties;
    }

    /** Appends a record to its tenant's stream; returns the stream entry id. */
    public String append(CallRecord record) {
        return append(record, Map.of());
    }

    /**
     * Appends a record with fields of a feature after the common ones (a queue call names its {@code queue} and
     * {@code agent}); readers that do not know them skip them.
     */
    public String append(CallRecord record, Map<String, String> extra) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("callId", record.callId());
        fields.put("from", record.from());
        fields.put("to", record.to());
        fields.put("nodes", String.join(",", record.nodes()));
        fields.put("startedAt", record.startedAt().toString());
        fields.put("answeredAt", record.answeredAt() == null ? "" : record.answeredAt().toString());
        fields.put("endedAt", record.endedAt().toString());
        fields.put("endCause", record.endCause());
        fields.put("hungUpBy", record.hungUpBy());
        if (!record.queue().isEmpty()) {
            fields.put("queue", record.queue());
        }
        if (!record.agent().isEmpty()) {
            fields.put("agent", record.agent());
        }
        extra.forEach(fields::putIfAbsent);
        XAddArgs args = XAddArgs.Builder.maxlen(properties.maxLength()).approximateTrimming();
        return redis.commands().xadd(Keys.cdr(record.tenant()), args, fields);
    }

    /** Records of calls that ended in {@code [from, to]}, oldest first, at most {@code max-results}. */
    public List<CallRecord> ended(String tenant, Instant from, Instant to) {
        return ended(tenant, from, to, record -> true);
    }

    /**
     * Records of calls that ended in {@code [from, to]} and that {@code wanted} keeps, oldest first, at most
     * {@code max-results} of them (the limit counts the records kept, not those read).
     */
    public List<CallRecord> ended(String tenant, Instant from, Instant to, Predicate<CallRecord> wanted) {
        long skew = properties.clockSkew().toMillis();
        long lower = Math.max(0, from.toEpochMilli() - skew);
        long upper = to.toEpochMilli() + skew;
        List<CallRecord> records = new ArrayList<>();
        String cursor = lower + "-0";
        int batch = 500;
        while (records.size() < properties.maxResults()) {
            List<StreamMessage<String, String>> page = redis.commands().xrange(Keys.cdr(tenant),
                    Range.create(cursor, upper + "-18446744073709551615"), Limit.create(0, batch));
            for (StreamMessage<String, String> message : page) {
                CallRecord record = decode(tenant, message.getBody());
                if (!record.endedAt().isBefore(from) && !record.endedAt().isAfter(to) && wanted.test(record)) {
                    records.add(record);
                    if (records.size() == properties.maxResults()) {
                        break;
                    }
                }
            }
            if (page.size() < batch) {
                break;
            }
            cursor = "(" + page.get(page.size() - 1).getId();
        }
        return records;
    }

    private static CallRecord decode(String tenant, Map<String, String> body) {
        String nodes = body.getOrDefault("nodes", "");
        String answered = body.getOrDefault("answeredAt", "");
        return new CallRecord(body.get("callId"), tenant, body.get("from"), body.get("to"),
                nodes.isEmpty() ? List.of() : Arrays.asList(nodes.split(",")),
                Instant.parse(body.get("startedAt")), answered.isEmpty() ? null : Instant.parse(answered),
                Instant.parse(body.get("endedAt")), body.get("endCause"), body.get("hungUpBy"),
                body.getOrDefault("queue", ""), body.getOrDefault("agent", ""));
    }
}
