package io.tandem.telephony.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SDP body (RFC 4566 / RFC 8866), immutable. Fields we never act on ({@code i= u= e= p= r= z= k=}) are dropped
 * by {@link #parse}; session-level direction attributes are folded into every media section (RFC 4566 §6), so the
 * model holds the effective direction per stream.
 *
 * @param origin      {@code o=}
 * @param sessionName {@code s=} ({@code -} when the sender had nothing to say)
 * @param connection  session-level {@code c=}, or null when every media section carries its own
 * @param bandwidths  session-level {@code b=} values
 * @param timing      the first {@code t=} value, {@code 0 0} for the unbounded sessions SIP uses (RFC 3264 §5)
 * @param attributes  session-level {@code a=} lines other than directions
 * @param media       the {@code m=} sections in order (order matters for offer/answer, RFC 3264 §6)
 */
public record SessionDescription(Origin origin, String sessionName, Connection connection, List<String> bandwidths,
                                 String timing, List<Attribute> attributes, List<MediaDescription> media) {

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(timing, "timing");
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    public SessionDescription(Origin origin, String sessionName, Connection connection, List<MediaDescription> media) {
        this(origin, sessionName, connection, List.of(), "0 0", List.of(), media);
    }

    /**
     * Parses an SDP body. Lines may end in CRLF or a bare LF; blank lines are skipped; unknown line types are
     * ignored. Throws with the 1-based line number and text when a line is not {@code <letter>=<value>}, when
     * {@code v=0} is not first, when {@code o=} is missing, or when an {@code o=}, {@code c=} or {@code m=} line does
     * not have the RFC 4566 shape.
     */
    public static SessionDescription parse(String text) throws SdpException {
        return new SdpParser(text).parse();
    }

    /** CRLF lines in RFC 4566 §5 order; direction attributes are written per media section. */
    public String encode() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=").append(origin.encode()).append("\r\n");
        sb.append("s=").append(sessionName.isEmpty() ? "-" : sessionName).append("\r\n");
        if (connection != null) {
            sb.append("c=").append(connection.encode()).append("\r\n");
        }
        for (String b : bandwidths) {
            sb.append("b=").append(b).append("\r\n");
        }
        sb.append("t=").append(timing).append("\r\n");
        for (Attribute a : attributes) {
            sb.append("a=").append(a.encode()).append("\r\n");
        }
        for (MediaDescription m : media) {
            m.encodeTo(sb);
        }
        return sb.toString();
    }

    /** The connection that applies to a media section: its own {@code c=}, else the session's (RFC 4566 §5.7). */
    public Optional<Connection> connectionFor(MediaDescription m) {
        return Optional.ofNullable(m.connection() != null ? m.connection() : connection);
    }

    /** The first audio section, whatever its port or protocol. */
    public Optional<MediaDescription> firstAudio() {
        return media.stream().filter(MediaDescription::isAudio).findFirst();
    }

    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, connection, bandwidths, timing, attributes, media);
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, connection, bandwidths, timing, attributes, newMedia);
    }

    @Override
    public String toString() {
        return encode();
    }
}
