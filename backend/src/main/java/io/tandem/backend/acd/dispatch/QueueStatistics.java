package io.tandem.backend.acd.dispatch;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.protocol.QueueFigures;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Figures of a queue, from Redis only: the wait set, the available index and the day's counters, which the same
 * scripts that change state increment. Every node computes the same figures.
 */
@Service
public class QueueStatistics {

    private final Redis redis;
    private final Callers callers;
    private final Queues queues;

    public QueueStatistics(Redis redis, Callers callers, Queues queues) {
        this.redis = redis;
        this.callers = callers;
        this.queues = queues;
    }

    public QueueFigures figures(String tenant, QueueDefinition queue, Instant now) {
        String q = queue.number();
        int waiting = redis.commands().zcard(Keys.queueWait(tenant, q)).intValue();
        long oldest = waiting == 0 ? now.toEpochMilli() : callers.oldestEnqueue(tenant, q);
        // one round trip, not one per member: every node pushes figures every second
        int available = queues.availableMembers(tenant, q);
        Map<String, String> stats = redis.commands().hgetall(Keys.queueStats(tenant, q, day(now)));
        long answered = AgentSessions.number(stats.get("answered"));
        long abandoned = AgentSessions.number(stats.get("abandoned"));
        long within = AgentSessions.number(stats.get("withinServiceLevel"));
        long waitSum = AgentSessions.number(stats.get("waitMsAnswered"));
        // The definition QueueFigures documents and the wallboard states; no call that ended its wait is no level.
        Double serviceLevel = answered + abandoned == 0 ? null : 100.0 * within / (answered + abandoned);
        double asa = answered == 0 ? 0 : waitSum / 1000.0 / answered;
        // Handle time is known once a call has ended: its talk (counted at the end) and its wrap-up (counted when
        // the wrap-up ends), over the completed calls.
        long completed = AgentSessions.number(stats.get("completed"));
        long handleMs = AgentSessions.number(stats.get("talkMs")) + AgentSessions.number(stats.get("wrapMs"));
        double aht = completed == 0 ? 0 : handleMs / 1000.0 / completed;
        return new QueueFigures(q, queue.name(), waiting, Math.max(0, (now.toEpochMilli() - oldest) / 1000),
                available, answered, abandoned, serviceLevel, asa, aht);
    }

    /** Queue-log entries of a tenant, oldest first, from an id on (exclusive), at most {@code max}. */
    public List<StreamMessage<String, String>> queueLog(String tenant, String after, int max) {
        Range<String> range = Range.create(after == null || after.isEmpty() ? "-" : "(" + after, "+");
        return redis.commands().xrange(Keys.queueLog(tenant), range, Limit.create(0, max));
    }

    static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
