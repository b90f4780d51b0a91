package io.tandem.telephony.sdp;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code m=} section (RFC 4566 §5.14) with the attributes we act on pulled out of the {@code a=} lines.
 *
 * @param media       {@code audio}, {@code video}, {@code application}...
 * @param port        transport port; 0 disables the stream (RFC 3264 §5.1)
 * @param portCount   the optional {@code /<number of ports>}; 1 when absent
 * @param protocol    {@code RTP/AVP}, {@code RTP/SAVP}, {@code RTP/AVPF}, {@code UDP/TLS/RTP/SAVPF}...
 * @param formats     the format list as sent; for RTP profiles these are payload type numbers
 * @param connection  media-level {@code c=}, or null to use the session-level one
 * @param bandwidths  {@code b=} values, e.g. {@code AS:64}
 * @param codecs      RTP payload types resolved to codecs: from {@code a=rtpmap}, else RFC 3551's static table;
 *                    in format-list order; unknown dynamic types are simply absent
 * @param fmtp        {@code a=fmtp} parameters by payload type
 * @param direction   the direction attribute, media-level else session-level, default SENDRECV (RFC 3264 §5.1)
 * @param ptime       {@code a=ptime} in ms, 0 when absent
 * @param maxptime    {@code a=maxptime} in ms, 0 when absent
 * @param attributes  every other {@code a=} line, in order
 */
public record MediaDescription(String media, int port, int portCount, String protocol, List<String> formats,
                               Connection connection, List<String> bandwidths, List<CodecSpec> codecs,
                               Map<Integer, String> fmtp, MediaDirection direction, int ptime, int maxptime,
                               List<Attribute> attributes) {

    public MediaDescription {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(direction, "direction");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
        if (portCount < 1) {
            throw new IllegalArgumentException("port count must be positive: " + portCount);
        }
        if (ptime < 0 || maxptime < 0) {
            throw new IllegalArgumentException("ptime/maxptime must not be negative");
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("an m= line needs at least one format (RFC 4566 §5.14)");
        }
        bandwidths = List.copyOf(bandwidths);
        codecs = List.copyOf(codecs);
        fmtp = Map.copyOf(fmtp);
        attributes = List.copyOf(attributes);
        for (Integer pt : fmtp.keySet()) {
            if (!formats.contains(Integer.toString(pt))) {
                throw new IllegalArgumentException("fmtp for " + pt + " which is not in the format list " + formats);
            }
        }
        for (CodecSpec c : codecs) {
            if (!formats.contains(Integer.toString(c.payloadType()))) {
                throw new IllegalArgumentException("codec " + c + " is not in the format list " + formats);
            }
        }
    }

    /**
     * An RTP/AVP audio stream: the format list is the codecs' payload types in order; fmtp may be empty.
     * Use the {@code with*} methods for the rest.
     */
    public static MediaDescription audio(int port, List<CodecSpec> codecs, Map<Integer, String> fmtp,
                                         MediaDirection direction) {
        List<String> formats = new ArrayList<>();
        for (CodecSpec c : codecs) {
            formats.add(Integer.toString(c.payloadType()));
        }
        return new MediaDescription("audio", port, 1, "RTP/AVP", formats, null, List.of(), codecs, fmtp,
                direction, 0, 0, List.of());
    }

    /** The numeric entries of the format list (the RTP payload types), in order. */
    public List<Integer> payloadTypes() {
        List<Integer> pts = new ArrayList<>(formats.size());
        for (String f : formats) {
            Integer pt = SdpParser.payloadTypeOrNull(f);
            if (pt != null) {
                pts.add(pt);
            }
        }
        return pts;
    }

    public Optional<CodecSpec> codec(int payloadType) {
        return codecs.stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    public Optional<String> fmtp(int payloadType) {
        return Optional.ofNullable(fmtp.get(payloadType));
    }

    /** The value of the first other attribute with this name (case-insensitive). */
    public Optional<String> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name))
                .map(a -> a.value() == null ? "" : a.value()).findFirst();
    }

    /** The values of every other attribute with this name (case-insensitive), in order. */
    public List<String> attributes(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name))
                .map(a -> a.value() == null ? "" : a.value()).toList();
    }

    public boolean isAudio() {
        return media.equalsIgnoreCase("audio");
    }

    /** RTP over UDP without SRTP: {@code RTP/AVP} or {@code RTP/AVPF} (RFC 3551, RFC 4585). */
    public boolean isPlainRtp() {
        return protocol.equalsIgnoreCase("RTP/AVP") || protocol.equalsIgnoreCase("RTP/AVPF");
    }

    /** SRTP keyed in the SDP (RFC 4568): {@code RTP/SAVP} or {@code RTP/SAVPF} with {@code a=crypto} lines. */
    public boolean isSdesSrtp() {
        return (protocol.equalsIgnoreCase("RTP/SAVP") || protocol.equalsIgnoreCase("RTP/SAVPF"))
                && !attributes("crypto").isEmpty();
    }

    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, protocol, formats, connection, bandwidths, codecs,
                fmtp, direction, ptime, maxptime, attributes);
    }

    public MediaDescription withConnection(Connection newConnection) {
        return new MediaDescription(media, port, portCount, protocol, formats, newConnection, bandwidths, codecs,
                fmtp, direction, ptime, maxptime, attributes);
    }

    public MediaDescription withDirection(MediaDirection newDirection) {
        return new MediaDescription(media, port, portCount, protocol, formats, connection, bandwidths, codecs,
                fmtp, newDirection, ptime, maxptime, attributes);
    }

    public MediaDescription withPtime(int newPtime, int newMaxptime) {
        return new MediaDescription(media, port, portCount, protocol, formats, connection, bandwidths, codecs,
                fmtp, direction, newPtime, newMaxptime, attributes);
    }

    public MediaDescription withProtocol(String newProtocol) {
        return new MediaDescription(media, port, portCount, newProtocol, formats, connection, bandwidths, codecs,
                fmtp, direction, ptime, maxptime, attributes);
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, protocol, formats, connection, bandwidths, codecs,
                fmtp, direction, ptime, maxptime, newAttributes);
    }

    /** Appends this section's lines, CRLF-terminated, in RFC 4566 §5 order. */
    void encodeTo(StringBuilder sb) {
        sb.append("m=").append(media).append(' ').append(port);
        if (portCount > 1) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(protocol);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        if (connection != null) {
            sb.append("c=").append(connection.encode()).append("\r\n");
        }
        for (String b : bandwidths) {
            sb.append("b=").append(b).append("\r\n");
        }
        Map<Integer, String> ordered = new LinkedHashMap<>();
        for (Integer pt : new LinkedHashSet<>(payloadTypes())) {
            codec(pt).ifPresent(c -> sb.append("a=rtpmap:").append(pt).append(' ').append(c.rtpmap()).append("\r\n"));
            String params = fmtp.get(pt);
            if (params != null) {
                ordered.put(pt, params);
            }
        }
        ordered.forEach((pt, params) -> sb.append("a=fmtp:").append(pt).append(' ').append(params).append("\r\n"));
        if (ptime > 0) {
            sb.append("a=ptime:").append(ptime).append("\r\n");
        }
        if (maxptime > 0) {
            sb.append("a=maxptime:").append(maxptime).append("\r\n");
        }
        for (Attribute a : attributes) {
            sb.append("a=").append(a.encode()).append("\r\n");
        }
        sb.append("a=").append(direction.attribute()).append("\r\n");
    }
}
