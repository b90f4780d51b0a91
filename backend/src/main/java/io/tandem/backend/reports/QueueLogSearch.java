package io.tandem.backend.reports;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a search of the queue log keeps: a queue, an agent, a caller (text in the number the caller's ENTERQUEUE
 * carries; then every line of that caller's calls is kept). Blank means any. Not thread-safe: one per search, as
 * it remembers the calls of the caller asked for while the log is read oldest first.
 */
final class QueueLogSearch {

    private final String queue;
    private final String agent;
    private final String caller;
    private final Set<String> callerCalls = new HashSet<>();

    QueueLogSearch(String queue, String agent, String caller) {
        this.queue = blankToNull(queue);
        this.agent = blankToNull(agent);
        this.caller = caller == null || caller.isBlank() ? null : caller.strip().toLowerCase(Locale.ROOT);
    }

    /** Entries must be offered oldest first: a caller's calls are recognised by their ENTERQUEUE. */
    boolean keeps(QueueLogEntry entry) {
        if (caller != null) {
            if ("ENTERQUEUE".equals(entry.event()) && entry.data2().toLowerCase(Locale.ROOT).contains(caller)) {
                callerCalls.add(entry.callId());
            }
            if (!callerCalls.contains(entry.callId())) {
                return false;
            }
        }
        return (queue == null || queue.equals(entry.queue())) && (agent == null || agent.equals(entry.agent()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
