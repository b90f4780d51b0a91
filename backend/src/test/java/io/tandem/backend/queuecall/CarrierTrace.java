package io.tandem.backend.queuecall;

import io.tandem.telephony.peers.SippProcess;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a SIPp carrier saw, read from its own message trace ({@code -trace_msg}, each message under a line of dashes
 * with SIPp's clock to the microsecond): the calls it was offered, each once however often its INVITE was
 * retransmitted, and the times of each call's messages.
 */
final class CarrierTrace {

    private static final Pattern ENTRY = Pattern.compile(
            "-{10,} (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6})\\R(UDP|TCP) message (sent|received)"
                    + "[^\\n]*\\R\\R"
                    + "([^\\r\\n]*)\\R((?:.+\\R)*?)(?:Call-ID|i): *([^\\r\\n]+)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final Pattern INVITE = Pattern.compile("INVITE sip:([^@]+)@");

    /** One message of the trace: when, whether the carrier sent it, its first line and its Call-ID. */
    record Message(LocalDateTime at, boolean sent, String firstLine, String callId) {
    }

    /** A call offered to the carrier: the number called and when its first INVITE arrived. */
    record Offered(String number, String callId, LocalDateTime at) {
    }

    private final List<Message> messages = new ArrayList<>();

    private CarrierTrace(String trace) {
        Matcher m = ENTRY.matcher(trace);
        while (m.find()) {
            messages.add(new Message(LocalDateTime.parse(m.group(1), TIME), "sent".equals(m.group(3)),
                    m.group(4).trim(), m.group(6).trim()));
        }
    }

    static CarrierTrace of(SippProcess carrier) {
        return new CarrierTrace(carrier.messages());
    }

    /** The calls offered, in order of arrival, each once (a retransmitted INVITE is the same call). */
    List<Offered> offered() {
        Map<String, Offered> calls = new LinkedHashMap<>();
        for (Message message : messages) {
            Matcher invite = INVITE.matcher(message.firstLine());
            if (!message.sent() && invite.lookingAt()) {
                calls.putIfAbsent(message.callId(), new Offered(invite.group(1), message.callId(), message.at()));
            }
        }
        return List.copyOf(calls.values());
    }

    /** The most calls offered within any 1000 ms, by the carrier's own clock. */
    long mostInAnySecond() {
        List<LocalDateTime> times = offered().stream().map(Offered::at).toList();
        long most = 0;
        for (LocalDateTime at : times) {
            LocalDateTime end = at.plus(1000, ChronoUnit.MILLIS);
            most = Math.max(most, times.stream().filter(t -> !t.isBefore(at) && t.isBefore(end)).count());
        }
        return most;
    }

    /** When the carrier first sent or received a message of {@code callId} whose first line starts so. */
    Optional<LocalDateTime> first(String callId, boolean sent, String firstLine) {
        return messages.stream().filter(m -> m.callId().equals(callId) && m.sent() == sent
                && m.firstLine().startsWith(firstLine)).map(Message::at).findFirst();
    }
}
