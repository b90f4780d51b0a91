package io.tandem.backend.cdr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Call records of a tenant by end time, as JSON or RFC 4180 CSV (supervisor of that tenant), optionally only those
 * of a queue, of an agent, or whose caller contains a text (case-insensitive: a number or part of a name).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}")
class CdrController {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8;header=present");
    private static final List<String> HEADER = List.of("call_id", "from", "to", "nodes", "started_at",
            "answered_at", "ended_at", "end_cause", "hung_up_by", "queue", "agent");

    private final CallRecords records;
    private final CdrProperties properties;
    private final Clock clock;

    CdrController(CallRecords records, CdrProperties properties, Clock clock) {
        this.records = records;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code from} defaults to 24 h before {@code to}, {@code to} to now (ISO-8601 instants). */
    @GetMapping("/cdr")
    List<CallRecord> json(@PathVariable String tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String queue, @RequestParam(required = false) String agent,
            @RequestParam(required = false) String caller) {
        return query(tenant, from, to, filter(queue, agent, caller));
    }

    @GetMapping("/cdr.csv")
    ResponseEntity<String> csv(@PathVariable String tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String queue, @RequestParam(required = false) String agent,
            @RequestParam(required = false) String caller) {
        StringBuilder out = new StringBuilder();
        Csv.appendRow(out, HEADER);
        for (CallRecord record : query(tenant, from, to, filter(queue, agent, caller))) {
            Csv.appendRow(out, List.of(record.callId(), record.from(), record.to(), String.join(" ", record.nodes()),
                    record.startedAt().toString(),
                    record.answeredAt() == null ? "" : record.answeredAt().toString(),
                    record.endedAt().toString(), record.endCause(), record.hungUpBy(), record.queue(),
                    record.agent()));
        }
        return ResponseEntity.ok().contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"cdr-" + tenant + ".csv\"")
                .body(out.toString());
    }

    /** Blank parameters filter nothing. */
    static Predicate<CallRecord> filter(String queue, String agent, String caller) {
        Predicate<CallRecord> wanted = record -> true;
        if (queue != null && !queue.isBlank()) {
            wanted = wanted.and(record -> record.queue().equals(queue.strip()));
        }
        if (agent != null && !agent.isBlank()) {
            wanted = wanted.and(record -> record.agent().equals(agent.strip()));
        }
        if (caller != null && !caller.isBlank()) {
            String text = caller.strip().toLowerCase(Locale.ROOT);
            wanted = wanted.and(record -> record.from().toLowerCase(Locale.ROOT).contains(text));
        }
        return wanted;
    }

    private List<CallRecord> query(String tenant, Instant from, Instant to, Predicate<CallRecord> wanted) {
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : from;
        if (start.isAfter(end)) {
            throw badRange("'from' must not be after 'to'");
        }
        if (Duration.between(start, end).compareTo(properties.maxRange()) > 0) {
            throw badRange("the range may span at most " + properties.maxRange().toDays() + " days");
        }
        return records.ended(tenant, start, end, wanted);
    }

    private static ErrorResponseException badRange(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid time range");
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
