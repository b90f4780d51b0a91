package io.tandem.backend.reports;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Reads a tenant's queue log by time. Entry ids are Redis's clock when written and {@code time} the script's, the
 * same clock: the id range is widened by a second and the entries filtered on {@code time} exactly.
 */
@Service
class QueueLog {

    /** At most this many lines in one answer (a day of a busy tenant is well under it). */
    static final int MAX_ENTRIES = 100_000;
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final int BATCH = 1_000;

    private final Redis redis;

    QueueLog(Redis redis) {
        this.redis = redis;
    }

    /** Lines in {@code [from, to]} that the search keeps, oldest first, at most {@link #MAX_ENTRIES}. */
    List<QueueLogEntry> between(String tenant, Instant from, Instant to, QueueLogSearch search) {
        List<QueueLogEntry> entries = new ArrayList<>();
        String cursor = Math.max(0, from.minus(MARGIN).toEpochMilli()) + "-0";
        String upper = to.plus(MARGIN).toEpochMilli() + "-18446744073709551615";
        while (entries.size() < MAX_ENTRIES) {
            List<StreamMessage<String, String>> page = redis.commands().xrange(Keys.queueLog(tenant),
                    Range.create(cursor, upper), Limit.create(0, BATCH));
            for (StreamMessage<String, String> message : page) {
                QueueLogEntry entry = QueueLogEntry.decode(message.getId(), message.getBody());
                if (!entry.time().isBefore(from) && !entry.time().isAfter(to) && search.keeps(entry)) {
                    entries.add(entry);
                    if (entries.size() == MAX_ENTRIES) {
                        break;
                    }
                }
            }
            if (page.size() < BATCH) {
                break;
            }
            cursor = "(" + page.get(page.size() - 1).getId();
        }
        return entries;
    }

    /** Lines after a stream id (exclusive), oldest first, at most {@code max}: for a reader that pages through. */
    List<QueueLogEntry> after(String tenant, String after, int max) {
        Range<String> range = Range.create(after == null || after.isEmpty() ? "-" : "(" + after, "+");
        return redis.commands().xrange(Keys.queueLog(tenant), range, Limit.create(0, max)).stream()
                .map(message -> QueueLogEntry.decode(message.getId(), message.getBody())).toList();
    }
}
