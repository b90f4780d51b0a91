package io.tandem.backend.reports;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.cdr.Csv;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The queue log searched by time range, queue, agent and caller (JSON and CSV), and a day in fifteen-minute
 * intervals (offered, answered, abandoned, service level) for the panel's charts. Supervisors of the tenant. Times
 * are ISO-8601 instants; {@code from} defaults to 24 h before {@code to}, {@code to} to now.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}")
class ReportController {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8;header=present");
    private static final Duration MAX_RANGE = Duration.ofDays(31);
    private static final List<String> HEADER = List.of("id", "time", "callid", "queuename", "agent", "event",
            "data1", "data2", "data3", "data4", "data5");

    private final QueueLog log;
    private final Queues queues;
    private final Clock clock;

    ReportController(QueueLog log, Queues queues, Clock clock) {
        this.log = log;
        this.queues = queues;
        this.clock = clock;
    }

    @GetMapping("/queuelog")
    List<QueueLogEntry> queueLog(@PathVariable String tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String queue, @RequestParam(required = false) String agent,
            @RequestParam(required = false) String caller) {
        return search(tenant, from, to, queue, agent, caller);
    }

    /**
     * The queue log in Asterisk's queue_log columns. With {@code after} (the last id already fetched) every line
     * after it, up to {@link QueueLog#MAX_ENTRIES}, for a reader paging through; otherwise the search's lines.
     */
    @GetMapping("/queuelog.csv")
    ResponseEntity<String> queueLogCsv(@PathVariable String tenant, @RequestParam(required = false) String after,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String queue, @RequestParam(required = false) String agent,
            @RequestParam(required = false) String caller) {
        List<QueueLogEntry> entries;
        if (after != null) {
            if (!after.matches("[0-9]{1,20}-[0-9]{1,20}")) {
                throw AcdProblems.invalid("after", "must be a stream id such as 1764423600000-0");
            }
            entries = log.after(tenant, after, QueueLog.MAX_ENTRIES);
        } else {
            entries = search(tenant, from, to, queue, agent, caller);
        }
        StringBuilder out = new StringBuilder();
        Csv.appendRow(out, HEADER);
        for (QueueLogEntry e : entries) {
            Csv.appendRow(out, List.of(e.id(), e.time().toString(), e.callId(), e.queue(), e.agent(), e.event(),
                    e.data1(), e.data2(), e.data3(), e.data4(), e.data5()));
        }
        return ResponseEntity.ok().contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"queuelog-" + tenant + ".csv\"")
                .body(out.toString());
    }

    /** A UTC day (default today) in 96 intervals of 15 minutes, of one queue or (without {@code queue}) of all. */
    @GetMapping("/reports/intervals")
    List<Interval> intervals(@PathVariable String tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day,
            @RequestParam(required = false) String queue) {
        LocalDate date = day == null ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : day;
        Instant midnight = date.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = midnight.plus(Duration.ofDays(1)).minusMillis(1);
        Map<String, Integer> targets = queues.list(tenant).stream()
                .collect(Collectors.toMap(QueueDefinition::number, QueueDefinition::serviceLevelSeconds));
        if (queue != null && !queue.isBlank() && !targets.containsKey(queue.strip())) {
            throw AcdProblems.status(HttpStatus.NOT_FOUND, "No such queue", "queue " + queue + " does not exist");
        }
        List<QueueLogEntry> entries = log.between(tenant, midnight, end, new QueueLogSearch(queue, null, null));
        return IntervalReport.of(date, entries, targets);
    }

    private List<QueueLogEntry> search(String tenant, Instant from, Instant to, String queue, String agent,
            String caller) {
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : from;
        if (start.isAfter(end)) {
            throw AcdProblems.invalid("from", "must not be after 'to'");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw AcdProblems.invalid("to", "the range may span at most " + MAX_RANGE.toDays() + " days");
        }
        return log.between(tenant, start, end, new QueueLogSearch(queue, agent, caller));
    }
}
