package io.tandem.backend.call;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.sdp.Connection;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.Origin;
import io.tandem.telephony.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.tandem.telephony.sdp.SdpException;
import io.tandem.telephony.sip.SipMessages;

/**
 * Media anchoring in SDP: what one party offered or answered is passed to the other with the node's address and the
 * relay port of that other party's leg, so every RTP packet goes through the node (RFC 3264 offer/answer is kept
 * end to end: codecs, payload types, ptime and direction attributes pass unchanged). Only the first audio stream is
 * relayed; other streams are refused with port 0 (RFC 3264 §6).
 */
final class SdpRewriter {

    private static final String TELEPHONE_EVENT = "telephone-event";

    /** The codec and RFC 4733 payload type an answer agreed. */
    record Agreed(CodecSpec codec, int telephoneEventPayloadType) {
    }

    private SdpRewriter() {
    }

    /** {@code sdp} as the node sends it on {@code leg}, whose relay port is {@code relayPort}. */
    static String rewrite(SessionDescription sdp, String host, int relayPort, Leg leg) {
        Connection ours = host.contains(":") ? Connection.ip6(host) : Connection.ip4(host);
        List<MediaDescription> media = new ArrayList<>();
        boolean relayed = false;
        for (MediaDescription m : sdp.media()) {
            if (!relayed && m.isAudio() && m.port() != 0) {
                relayed = true;
                Optional<Connection> theirs = sdp.connectionFor(m);
                // RFC 3264 §8.4 / RFC 2543 hold by c=0.0.0.0 keeps its meaning through the node.
                boolean hold = theirs.map(Connection::isHold).orElse(false);
                media.add(m.withPort(relayPort).withConnection(hold ? theirs.get() : null));
            } else {
                media.add(m.withPort(0).withConnection(null));
            }
        }
        Origin origin = new Origin("tandem", leg.sdpSessionId(), Long.toString(leg.nextSdpVersion()), ours);
        return new SessionDescription(origin, sdp.sessionName(), ours, sdp.bandwidths(), sdp.timing(),
                sdp.attributes(), media).encode();
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

    /** True when the SDP has an audio stream the node can relay (plain RTP, port not 0). */
    static boolean relayable(SessionDescription sdp) {
        return relayedAudio(sdp).map(MediaDescription::isPlainRtp).orElse(false);
    }

    private static Optional<MediaDescription> relayedAudio(SessionDescription sdp) {
        return sdp.media().stream().filter(m -> m.isAudio() && m.port() != 0).findFirst();
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
