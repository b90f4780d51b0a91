package io.tandem.backend.reports;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a tenant's queue log ({@code tandem:{t}:queuelog}), in the columns of Asterisk's queue_log.
 *
 * @param id     the stream entry id (for {@code after=} paging)
 * @param time   when it happened (the script's clock)
 * @param callId the caller's call id, {@code NONE} for agent events
 * @param queue  the queue, {@code NONE} for agent events
 * @param agent  the agent, {@code NONE} when none
 * @param event  {@code ENTERQUEUE}, {@code CONNECT}, {@code ABANDON}, {@code AGENTLOGIN}… (see docs/architecture.md)
 * @param data1  the event's first datum (for CONNECT the seconds waited, for ABANDON the position)
 * @param data2  the second (for ENTERQUEUE the caller's number)
 * @param data3  the third (for ABANDON the seconds waited)
 * @param data4  the fourth, empty but for BLINDTRANSFER and ATTENDEDTRANSFER (their seconds with the agent)
 * @param data5  the fifth, empty but for BLINDTRANSFER and ATTENDEDTRANSFER (the caller's original position)
 */
public record QueueLogEntry(String id, Instant time, String callId, String queue, String agent, String event,
        String data1, String data2, String data3, String data4, String data5) {

    static QueueLogEntry decode(String id, Map<String, String> body) {
        return new QueueLogEntry(id, Instant.ofEpochMilli(Long.parseLong(body.get("time"))),
                body.getOrDefault("callid", "NONE"), body.getOrDefault("queue", "NONE"),
                body.getOrDefault("agent", "NONE"), body.getOrDefault("event", ""), body.getOrDefault("data1", ""),
                body.getOrDefault("data2", ""), body.getOrDefault("data3", ""),
                body.getOrDefault("data4", ""), body.getOrDefault("data5", ""));
    }
}
