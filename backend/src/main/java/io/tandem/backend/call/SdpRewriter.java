package io.tandem.backend.call;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.sdp.Attribute;
import io.tandem.telephony.sdp.Connection;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.Origin;
import io.tandem.telephony.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sip.SipMessages;

/**
 * Media anchoring in SDP: what one party offered or answered is passed to the other with the node's address and the
 * relay port of that other party's leg, so every RTP packet goes through the node (RFC 3264 offer/answer is kept
 * end to end: codecs, payload types, ptime and direction attributes pass unchanged). Only the first usable audio
 * stream is relayed; every other stream (a second audio, video, SRTP audio) is refused with port 0 in its place, in
 * the offer passed on and in the answer passed back (RFC 3264 §6).
 */
final class SdpRewriter {

    private static final String TELEPHONE_EVENT = "telephone-event";

    /** The codec and RFC 4733 payload type an answer agreed. */
    record Agreed(CodecSpec codec, int telephoneEventPayloadType) {
    }

    private SdpRewriter() {
    }

    /**
     * {@code sdp} (an offer) as the node sends it on {@code leg}, whose relay port is {@code relayPort}: the first
     * usable audio stream is anchored, every other stream is refused in its place (RFC 3264 §6).
     */
    static String rewrite(SessionDescription sdp, String host, int relayPort, Leg leg) {
        return rewrite(sdp, sdp, host, relayPort, leg);
    }

    /**
     * {@code answer} to {@code offer} as the node sends it on {@code leg}: one m-line per m-line of the offer, in the
     * offer's order (RFC 3264 §6); the offer's relayed stream carries the answer's stream at the same position,
     * anchored on {@code relayPort}, and every other offered stream is refused with port 0, whatever the answerer put
     * there (it may have dropped, reordered or accepted a stream it was offered with port 0).
     */
    static String rewrite(SessionDescription offer, SessionDescription answer, String host, int relayPort, Leg leg) {
        Connection ours = host.contains(":") ? Connection.ip6(host) : Connection.ip4(host);
        OptionalInt relayedIndex = relayedIndex(offer);
        List<MediaDescription> media = new ArrayList<>(offer.media().size());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = i < answer.media().size() ? answer.media().get(i) : null;
            boolean relayed = relayedIndex.isPresent() && relayedIndex.getAsInt() == i && m != null && m.isAudio()
                    && m.port() != 0;
            if (relayed) {
                Optional<Connection> theirs = answer.connectionFor(m);
                // RFC 3264 §8.4 / RFC 2543 hold by c=0.0.0.0 keeps its meaning through the node.
                boolean hold = theirs.map(Connection::isHold).orElse(false);
                MediaDescription relayedStream = m.withPort(relayPort).withConnection(hold ? theirs.get() : null);
                // A leg that speaks SRTP gets the relayed stream as RTP/SAVP with the node's key (RFC 4568 §7.1.2).
                media.add(leg.srtp == null ? SrtpTermination.plain(relayedStream)
                        : SrtpTermination.secured(relayedStream, leg.srtp));
            } else {
                media.add(refused(offer.media().get(i)));
            }
        }
        Origin origin = new Origin("tandem", leg.sdpSessionId(), Long.toString(leg.nextSdpVersion()), ours);
        return new SessionDescription(origin, answer.sessionName(), ours, answer.bandwidths(), answer.timing(),
                answer.attributes(), media).encode();
    }

    /**
     * {@code sdp} with every stream active again (RFC 3264 §8.4: a held party is resumed by an offer with
     * {@code a=sendrecv}); session-level direction attributes are dropped, each stream says its own.
     */
    static SessionDescription resumed(SessionDescription sdp) {
        List<Attribute> session = sdp.attributes().stream()
                .filter(a -> MediaDirection.fromAttribute(a.name()) == null).toList();
        List<MediaDescription> media = sdp.media().stream().map(m -> m.withDirection(MediaDirection.SENDRECV))
                .toList();
        return new SessionDescription(sdp.origin(), sdp.sessionName(), sdp.connection(), sdp.bandwidths(),
                sdp.timing(), session, media);
    }

    /**
     * RFC 3264 §6: a refused stream keeps its place, media type, transport and format list, with port 0; nothing
     * else of it (address, bandwidth, keys, candidates) is passed on, the node carries none of it.
     */
    static MediaDescription refused(MediaDescription offered) {
        return new MediaDescription(offered.media(), 0, 1, offered.protocol(), offered.formats(), null, List.of(),
                offered.codecs(), Map.of(), MediaDirection.INACTIVE, 0, 0, List.of());
    }

    /**
     * The position of the stream the node anchors: the first audio stream it can relay (plain RTP, port not 0, an
     * address, a known codec). An SRTP or disabled audio stream before it is refused, not a reason to fail the call.
     */
    /**
     * {@code offer} with its relayed audio stream narrowed to {@code codecs} (encoding names, in their order of
     * preference) and telephone-event (RFC 4733): what a carrier trunk takes. The node relays without transcoding,
     * so the narrowed offer stays within what the caller offered; when the two have no codec in common, the offer
     * goes unchanged and the carrier decides (RFC 3264 §6: it may refuse it with 488).
     */
    static SessionDescription restricted(SessionDescription offer, List<String> codecs) {
        OptionalInt index = relayedIndex(offer);
        if (index.isEmpty() || codecs.isEmpty()) {
            return offer;
        }
        MediaDescription m = offer.media().get(index.getAsInt());
        List<CodecSpec> kept = new ArrayList<>();
        for (String name : codecs) {
            m.codecs().stream().filter(c -> c.encodingName().equalsIgnoreCase(name)).forEach(kept::add);
        }
        if (kept.isEmpty()) {
            return offer;
        }
        m.codecs().stream().filter(c -> c.encodingName().equalsIgnoreCase("telephone-event")).forEach(kept::add);
        List<String> formats = kept.stream().map(c -> Integer.toString(c.payloadType())).toList();
        Map<Integer, String> fmtp = new HashMap<>();
        m.fmtp().forEach((pt, value) -> {
            if (formats.contains(Integer.toString(pt))) {
                fmtp.put(pt, value);
            }
        });
        List<MediaDescription> media = new ArrayList<>(offer.media());
        media.set(index.getAsInt(), new MediaDescription(m.media(), m.port(), m.portCount(), m.protocol(), formats,
                m.connection(), m.bandwidths(), kept, fmtp, m.direction(), m.ptime(), m.maxptime(), m.attributes()));
        return offer.withMedia(media);
    }

    static OptionalInt relayedIndex(SessionDescription sdp) {
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (m.isAudio() && m.port() != 0 && m.isPlainRtp() && sdp.connectionFor(m).isPresent()
                    && !m.codecs().isEmpty()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    /** Where the party wants RTP: the first active audio stream's address; empty on hold or when unresolvable. */
    static Optional<InetSocketAddress> remoteRtp(SessionDescription sdp) {
        Optional<MediaDescription> audio = relayedAudio(sdp);
        if (audio.isEmpty()) {
            return Optional.empty();
        }
        Optional<Connection> connection = sdp.connectionFor(audio.get());
        if (connection.isEmpty() || connection.get().isHold()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(connection.get().host()),
                    audio.get().port()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The first audio codec of an answer (RFC 3264 §6.1: the answerer's preferred one) and its telephone-event. */
    static Optional<Agreed> agreed(SessionDescription answer) {
        Optional<MediaDescription> audio = relayedAudio(answer);
        if (audio.isEmpty()) {
            return Optional.empty();
        }
        CodecSpec codec = null;
        List<CodecSpec> events = new ArrayList<>();
        for (CodecSpec c : audio.get().codecs()) {
            if (c.encodingName().toLowerCase(Locale.ROOT).equals(TELEPHONE_EVENT)) {
                events.add(c);
            } else if (codec == null) {
                codec = c;
            }
        }
        if (codec == null) {
            return Optional.empty();
        }
        // RFC 4733 §2.1: events run at the audio's clock rate; 8 kHz is what most phones offer besides.
        int rate = codec.clockRate();
        int telephoneEvent = events.stream().filter(e -> e.clockRate() == rate).findFirst()
                .or(() -> events.stream().filter(e -> e.clockRate() == 8000).findFirst())
                .map(CodecSpec::payloadType).orElse(-1);
        return codec == null ? Optional.empty() : Optional.of(new Agreed(codec, telephoneEvent));
    }

    /** True when the SDP has an audio stream the node can relay ({@link #relayedIndex}). */
    static boolean relayable(SessionDescription sdp) {
        return relayedIndex(sdp).isPresent();
    }

    /**
     * The stream the node relays: in an offer its {@link #relayedIndex}; in an answer to the node's offer (which
     * left exactly one audio stream open) the one audio stream not refused.
     */
    private static Optional<MediaDescription> relayedAudio(SessionDescription sdp) {
        OptionalInt index = relayedIndex(sdp);
        return index.isPresent() ? Optional.of(sdp.media().get(index.getAsInt()))
                : sdp.media().stream().filter(m -> m.isAudio() && m.port() != 0).findFirst();
    }

    /** The SDP body of a message, if it has one that parses. */
    static Optional<SessionDescription> sdpOf(javax.sip.message.Message message) {
        if (!Signalling.SDP.equals(SipMessages.contentType(message)) || message.getRawContent() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionDescription.parse(SipMessages.bodyText(message)));
        } catch (SdpException e) {
            return Optional.empty();
        }
    }
}
