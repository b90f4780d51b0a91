package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Line-by-line SDP parser (RFC 4566 §5 / RFC 8866 §5). Strict on the lines we depend on ({@code v= o= c= m=}),
 * liberal elsewhere: an {@code a=rtpmap} or {@code a=fmtp} it cannot read is kept as a plain attribute (RFC 4475
 * messages carry {@code a=rtpmap:31 LPC}), unknown line types are skipped.
 */
final class SdpParser {
    /** Guards against absurd bodies; a SIP message is bounded anyway, this bounds our work per body. */
    private static final int MAX_LINES = 2000;
    /**
     * Field separator of o=, c=, m=, a=rtpmap and a=fmtp, compiled once: {@code String.split("\\s+")} compiles it
     * again on every call (a regex of more than one character), 2 % of a node's CPU under call set-up load.
     */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final String text;
    private int lineNo;
    private String line;

    private Origin origin;
    private String sessionName;
    private Connection sessionConnection;
    private final List<String> sessionBandwidths = new ArrayList<>();
    private String timing;
    private final List<Attribute> sessionAttributes = new ArrayList<>();
    private MediaDirection sessionDirection;
    private final List<MediaBuilder> media = new ArrayList<>();

    SdpParser(String text) {
        this.text = text;
    }

    SessionDescription parse() throws SdpException {
        if (text == null || text.isBlank()) {
            throw new SdpException("empty SDP body");
        }
        String[] lines = text.split("\n", MAX_LINES + 1);
        if (lines.length > MAX_LINES) {
            throw new SdpException("SDP body has more than " + MAX_LINES + " lines");
        }
        boolean seenVersion = false;
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || !isTypeLetter(line.charAt(0))) {
                throw error("not a '<type>=<value>' line");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!seenVersion) {
                if (type != 'v') {
                    throw error("an SDP body must start with v=0");
                }
                if (!value.trim().equals("0")) {
                    throw error("unsupported SDP version");
                }
                seenVersion = true;
                continue;
            }
            MediaBuilder current = media.isEmpty() ? null : media.get(media.size() - 1);
            switch (type) {
                case 'o' -> origin = parseOrigin(value);
                case 's' -> sessionName = value;
                case 'c' -> {
                    Connection c = parseConnection(value);
                    if (current == null) {
                        sessionConnection = c;
                    } else {
                        current.connection = c;
                    }
                }
                case 'b' -> (current == null ? sessionBandwidths : current.bandwidths).add(value.trim());
                case 't' -> {
                    if (timing == null) {
                        timing = value.trim();
                    }
                }
                case 'm' -> media.add(parseMedia(value));
                case 'a' -> {
                    if (current == null) {
                        sessionAttribute(value);
                    } else {
                        current.attribute(value);
                    }
                }
                case 'v' -> throw error("a second v= line");
                default -> {
                    // i= u= e= p= r= z= k= and unknown types: nothing we act on (RFC 8866 §5 lets parsers skip).
                }
            }
        }
        if (origin == null) {
            throw new SdpException("SDP body has no o= line");
        }
        List<MediaDescription> built = new ArrayList<>(media.size());
        for (MediaBuilder m : media) {
            built.add(m.build(sessionDirection));
        }
        return new SessionDescription(origin, sessionName == null ? "-" : sessionName, sessionConnection,
                sessionBandwidths, timing == null ? "0 0" : timing, sessionAttributes, built);
    }

    private static boolean isTypeLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private SdpException error(String what) {
        String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return new SdpException("SDP line " + lineNo + ": " + what + ": '" + shown + "'");
    }

    private Origin parseOrigin(String value) throws SdpException {
        String[] f = WHITESPACE.split(value.trim());
        if (f.length != 6) {
            throw error("o= needs 6 fields: username sess-id sess-version nettype addrtype address");
        }
        if (!isDigits(f[1]) || !isDigits(f[2])) {
            throw error("o= session id and version must be digits");
        }
        // RFC 8866 §9: username is a non-ws-string, VCHARs and octets from 0x80; a control character such as 0x1C,
        // which the field split does not cut at but Origin refuses as whitespace, is a malformed line.
        if (f[0].chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
            throw error("o= username holds a control character");
        }
        return new Origin(f[0], f[1], f[2], new Connection(f[3], f[4], f[5]));
    }

    private Connection parseConnection(String value) throws SdpException {
        String[] f = WHITESPACE.split(value.trim());
        if (f.length != 3) {
            throw error("c= needs 3 fields: nettype addrtype address");
        }
        return new Connection(f[0], f[1], f[2]);
    }

    private MediaBuilder parseMedia(String value) throws SdpException {
        String[] f = WHITESPACE.split(value.trim());
        if (f.length < 4) {
            throw error("m= needs media, port, protocol and at least one format");
        }
        MediaBuilder m = new MediaBuilder();
        m.media = f[0];
        String port = f[1];
        int slash = port.indexOf('/');
        if (slash >= 0) {
            m.portCount = smallInt(port.substring(slash + 1), 1, 65535, "port count");
            port = port.substring(0, slash);
        }
        m.port = smallInt(port, 0, 65535, "port");
        m.protocol = f[2];
        for (int i = 3; i < f.length; i++) {
            m.formats.add(f[i]);
        }
        return m;
    }

    private int smallInt(String s, int min, int max, String what) throws SdpException {
        Integer v = boundedInt(s, min, max);
        if (v == null) {
            throw error(what + " must be a number in " + min + ".." + max);
        }
        return v;
    }

    private void sessionAttribute(String value) {
        MediaDirection d = MediaDirection.fromAttribute(value.trim());
        if (d != null) {
            sessionDirection = d;
        } else {
            sessionAttributes.add(splitAttribute(value));
        }
    }

    static Attribute splitAttribute(String value) {
        int colon = value.indexOf(':');
        return colon < 0 ? Attribute.flag(value) : new Attribute(value.substring(0, colon), value.substring(colon + 1));
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A decimal in [min, max] without leading sign, or null; never parses more digits than fit. */
    static Integer boundedInt(String s, int min, int max) {
        if (s == null || s.isEmpty() || s.length() > 9 || !isDigits(s)) {
            return null;
        }
        int v = Integer.parseInt(s);
        return v < min || v > max ? null : v;
    }

    /**
     * An RTP payload type is a plain decimal (RFC 3551 §6); "08" or "00000" is some other format token, as the
     * format list keeps it verbatim and MediaDescription matches codecs to it by their canonical number.
     */
    static Integer payloadTypeOrNull(String format) {
        if (format != null && format.length() > 1 && format.charAt(0) == '0') {
            return null;
        }
        return boundedInt(format, 0, 127);
    }

    /** Collects one m= section until the next m= or the end. */
    private static final class MediaBuilder {
        String media;
        int port;
        int portCount = 1;
        String protocol;
        final List<String> formats = new ArrayList<>();
        Connection connection;
        final List<String> bandwidths = new ArrayList<>();
        final Map<Integer, CodecSpec> rtpmaps = new HashMap<>();
        final Map<Integer, String> fmtp = new LinkedHashMap<>();
        MediaDirection direction;
        int ptime;
        int maxptime;
        final List<Attribute> attributes = new ArrayList<>();

        void attribute(String value) {
            MediaDirection d = MediaDirection.fromAttribute(value.trim());
            if (d != null) {
                direction = d;
                return;
            }
            Attribute a = splitAttribute(value);
            String name = a.name().toLowerCase(Locale.ROOT);
            boolean understood = switch (name) {
                case "rtpmap" -> rtpmap(a.value());
                case "fmtp" -> fmtp(a.value());
                case "ptime" -> (ptime = millis(a.value())) > 0;
                case "maxptime" -> (maxptime = millis(a.value())) > 0;
                default -> false;
            };
            if (!understood) {
                attributes.add(a);
            }
        }

        /** {@code <pt> <name>/<rate>[/<channels>]}; encoding names are case-insensitive (RFC 4855 §3). */
        private boolean rtpmap(String value) {
            if (value == null) {
                return false;
            }
            String[] f = WHITESPACE.split(value.trim(), 2);
            Integer pt = f.length == 2 ? payloadTypeOrNull(f[0]) : null;
            if (pt == null || !formats.contains(f[0]) || rtpmaps.containsKey(pt)) {
                return false;
            }
            String[] enc = f[1].trim().split("/");
            if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
                return false;
            }
            Integer rate = boundedInt(enc[1], 1, 10_000_000);
            Integer channels = enc.length == 3 ? boundedInt(enc[2], 1, 255) : Integer.valueOf(1);
            if (rate == null || channels == null) {
                return false;
            }
            rtpmaps.put(pt, new CodecSpec(enc[0], pt, rate, channels));
            return true;
        }

        private boolean fmtp(String value) {
            if (value == null) {
                return false;
            }
            String[] f = WHITESPACE.split(value.trim(), 2);
            Integer pt = f.length == 2 ? payloadTypeOrNull(f[0]) : null;
            if (pt == null || !formats.contains(f[0]) || fmtp.containsKey(pt)) {
                return false;
            }
            fmtp.put(pt, f[1].trim());
            return true;
        }

        /** ptime is an integer in RFC 4566, but "20.0" is seen in the wild; anything odd is kept raw. */
        private static int millis(String value) {
            if (value == null) {
                return 0;
            }
            String v = value.trim();
            if (v.endsWith(".0")) {
                v = v.substring(0, v.length() - 2);
            }
            Integer ms = boundedInt(v, 1, 10_000);
            return ms == null ? 0 : ms;
        }

        MediaDescription build(MediaDirection sessionDirection) {
            List<CodecSpec> codecs = new ArrayList<>();
            for (String f : formats) {
                Integer pt = payloadTypeOrNull(f);
                if (pt == null) {
                    continue;
                }
                CodecSpec c = rtpmaps.get(pt);
                if (c == null) {
                    c = StaticPayloadTypes.lookup(pt).orElse(null);
                }
                if (c != null && codecs.stream().noneMatch(x -> x.payloadType() == pt)) {
                    codecs.add(c);
                }
            }
            MediaDirection d = direction != null ? direction
                    : sessionDirection != null ? sessionDirection : MediaDirection.SENDRECV;
            return new MediaDescription(media, port, portCount, protocol, formats, connection, bandwidths, codecs,
                    fmtp, d, ptime, maxptime, attributes);
        }
    }
}
