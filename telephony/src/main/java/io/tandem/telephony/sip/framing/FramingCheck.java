package io.tandem.telephony.sip.framing;

import io.tandem.telephony.sip.Rejection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a raw request's framing and syntax where JAIN-SIP's parser is lenient and the parsed message no longer
 * shows the fault (RFC 4475 §3.1.2): repeated single-value headers (JAIN-SIP keeps the first, or the last
 * Content-Length), a bad or oversized Content-Length, extra whitespace in the Request-Line, whitespace inside
 * {@code <>}, an unquoted display name with separators, a URI with headers outside {@code <>}.
 * Never allocates from a number in the message; works on the header section only. Responses are not judged (a
 * malformed response is simply dropped by the transaction layer).
 */
public final class FramingCheck {
    /** RFC 3261 §7.3.1: these appear at most once. */
    private static final Set<String> SINGLE = Set.of("call-id", "cseq", "from", "to", "max-forwards",
            "content-length", "content-type");
    private static final Set<String> NAME_ADDR = Set.of("from", "to", "contact");
    private static final Map<String, String> COMPACT = Map.of("i", "call-id", "f", "from", "t", "to",
            "l", "content-length", "c", "content-type", "m", "contact", "v", "via");
    /** A Content-Length beyond this many digits cannot be honest for a SIP message; no need to parse it. */
    private static final int MAX_LENGTH_DIGITS = 9;

    private FramingCheck() {
    }

    /**
     * @param message  the bytes of one message as received (for a stream transport: at least the header section)
     * @param datagram true when {@code message} is a whole UDP datagram, so the body must hold Content-Length bytes
     *                 (RFC 3261 §18.3)
     * @return a 400 with a precise reason, or empty when nothing is wrong with the framing
     */
    public static Optional<Rejection> check(byte[] message, boolean datagram) {
        if (message == null || message.length == 0) {
            return Optional.empty();
        }
        int start = 0;
        while (start < message.length && (message[start] == '\r' || message[start] == '\n')) {
            start++; // RFC 5626 keep-alive CRLFs before a message
        }
        int headerEnd = headerEnd(message, start);
        int bodyStart = headerEnd < 0 ? message.length : headerEnd;
        // ISO-8859-1 maps every byte to one char: indices stay byte offsets and nothing can fail to decode.
        String head = new String(message, start, bodyStart - start, StandardCharsets.ISO_8859_1);
        List<String> lines = unfold(head);
        if (lines.isEmpty() || lines.get(0).startsWith("SIP/")) {
            return Optional.empty();
        }
        Optional<Rejection> r = requestLine(lines.get(0));
        if (r.isPresent()) {
            return r;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // the parser decides about lines that are not headers
            }
            String name = canonical(line.substring(0, colon).trim());
            if (SINGLE.contains(name) && counts.merge(name, 1, Integer::sum) > 1) {
                return bad("Duplicate " + display(name) + " header");
            }
            // The value is cut out only for the headers judged here: this runs on every request.
            if (name.equals("content-length")) {
                r = contentLength(line.substring(colon + 1).trim(), datagram, message.length - bodyStart);
            } else if (NAME_ADDR.contains(name)) {
                r = nameAddresses(display(name), line.substring(colon + 1).trim(), !name.equals("contact"));
            }
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static int headerEnd(byte[] m, int from) {
        for (int i = from; i < m.length - 1; i++) {
            if (m[i] == '\n' && m[i + 1] == '\n') {
                return i + 2;
            }
            if (m[i] == '\n' && m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /**
     * Splits into lines and joins continuation lines (RFC 3261 §7.3.1 header folding). Scans for LF by hand: this
     * runs on every request, and a regex split was a measurable part of the registrar's CPU.
     */
    private static List<String> unfold(String head) {
        List<String> lines = new ArrayList<>(16);
        int from = 0;
        int length = head.length();
        while (from < length) {
            int lf = head.indexOf('\n', from);
            int end = lf < 0 ? length : lf;
            int next = lf < 0 ? length : lf + 1;
            if (end > from && head.charAt(end - 1) == '\r') {
                end--;
            }
            if (end > from) {
                char first = head.charAt(from);
                if ((first == ' ' || first == '\t') && !lines.isEmpty()) {
                    int last = lines.size() - 1;
                    lines.set(last, lines.get(last) + " " + head.substring(from, end).trim());
                } else {
                    lines.add(head.substring(from, end));
                }
            }
            from = next;
        }
        return lines;
    }

    /** RFC 3261 §7.1: {@code Method SP Request-URI SP SIP-Version CRLF}, single spaces, nothing else. */
    private static Optional<Rejection> requestLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()
                || line.indexOf('\t') >= 0) {
            return bad("Malformed Request-Line");
        }
        if (parts[1].startsWith("<")) {
            return bad("Request-URI must not be enclosed in <>");
        }
        return Optional.empty();
    }

    private static Optional<Rejection> contentLength(String value, boolean datagram, int available) {
        if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS || !value.chars().allMatch(Character::isDigit)) {
            return bad("Invalid Content-Length");
        }
        int length = Integer.parseInt(value);
        if (datagram && length > available) {
            return bad("Content-Length larger than the message");
        }
        return Optional.empty();
    }

    /** From/To hold one name-addr or addr-spec; Contact a comma-separated list of them (RFC 3261 §20.10). */
    private static Optional<Rejection> nameAddresses(String header, String value, boolean single) {
        List<String> items = single ? List.of(value) : splitList(value);
        if (items == null) {
            return bad("Unterminated quoted string in " + header);
        }
        for (String item : items) {
            Optional<Rejection> r = nameAddress(header, item.trim());
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> nameAddress(String header, String v) {
        int lt = -1;
        boolean quoted = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                lt = i;
                break;
            }
        }
        if (quoted) {
            return bad("Unterminated quoted string in " + header);
        }
        if (lt < 0) {
            // addr-spec form: RFC 3261 §20.10 requires <> when the URI has a comma, '?' or ';' of its own.
            return v.indexOf('?') >= 0 ? bad("URI with headers must be enclosed in <> in " + header)
                    : Optional.empty();
        }
        int gt = v.indexOf('>', lt);
        if (gt < 0) {
            return bad("Unterminated <> in " + header);
        }
        if (gt == lt + 1 || Character.isWhitespace(v.charAt(lt + 1)) || Character.isWhitespace(v.charAt(gt - 1))) {
            return bad("Whitespace inside <> in " + header);
        }
        String displayName = v.substring(0, lt).trim();
        if (!displayName.isEmpty() && displayName.charAt(0) != '"' && !isTokens(displayName)) {
            return bad("Display name with separators must be quoted in " + header);
        }
        return Optional.empty();
    }

    /** Splits on commas outside quotes and {@code <>}; null on an unterminated quote. */
    private static List<String> splitList(String v) {
        List<String> items = new ArrayList<>();
        boolean quoted = false;
        boolean bracketed = false;
        int from = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                bracketed = true;
            } else if (c == '>') {
                bracketed = false;
            } else if (c == ',' && !bracketed) {
                items.add(v.substring(from, i));
                from = i + 1;
            }
        }
        if (quoted) {
            return null;
        }
        items.add(v.substring(from));
        return items;
    }

    /** RFC 3261 §25.1 token chars, words separated by LWS. */
    private static boolean isTokens(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!token && c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(lower, lower);
    }

    private static String display(String canonical) {
        return switch (canonical) {
            case "call-id" -> "Call-ID";
            case "cseq" -> "CSeq";
            case "from" -> "From";
            case "to" -> "To";
            case "max-forwards" -> "Max-Forwards";
            case "content-length" -> "Content-Length";
            case "content-type" -> "Content-Type";
            case "contact" -> "Contact";
            default -> canonical;
        };
    }

    private static Optional<Rejection> bad(String reason) {
        return Optional.of(new Rejection(400, reason));
    }
}
