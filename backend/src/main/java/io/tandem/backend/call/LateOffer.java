package io.tandem.backend.call;

import io.tandem.telephony.codec.CodecSpec;
import io.tandem.telephony.media.MediaDirection;
import io.tandem.telephony.sdp.Connection;
import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.Origin;
import io.tandem.telephony.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A caller's INVITE without SDP (RFC 3261 §13.2.1, RFC 3264 §4 "late offer"): the offer is ours to make and the
 * caller's answer comes in its ACK. The callee branches get the node's own offer; once a callee has answered, the
 * caller's 200 offers the callee's answer narrowed to the one codec (and RFC 4733 events) it agreed, so the caller
 * can only answer with what the callee already sends and receives: the relay forwards, it does not transcode.
 */
final class LateOffer {

    /** Why a late-offer call ended at the caller's ACK: the CDR's end cause. */
    enum Refusal {
        /** The ACK carried no SDP, so the session has no answer (RFC 3264 §4: the offer needs one). */
        ACK_WITHOUT_SDP("ack-without-sdp"),
        /** The ACK's SDP refused the audio stream or picked nothing the node offered. */
        UNACCEPTABLE_ANSWER("unacceptable-answer");

        final String cause;

        Refusal(String cause) {
            this.cause = cause;
        }
    }

    /**
     * What the node offers a callee for a caller that offered nothing: G.711 only, which every phone speaks, so the
     * codec the callee picks is one the caller can answer (a wideband pick the caller lacks would end the call).
     */
    static final List<CodecSpec> CODECS = List.of(CodecSpec.PCMU, CodecSpec.PCMA, CodecSpec.TELEPHONE_EVENT);
    /** RFC 4733 §3.2: DTMF 0-9 * # A-D and flash. */
    private static final String EVENTS = "0-16";
    /** RFC 863's discard port: a placeholder, {@link SdpRewriter#rewrite} puts the relay port in its place. */
    private static final int PLACEHOLDER_PORT = 9;

    private LateOffer() {
    }

    /** The node's offer to the callee branches (address and port are set per branch by {@link SdpRewriter}). */
    static SessionDescription calleeOffer(String host) {
        Connection ours = host.contains(":") ? Connection.ip6(host) : Connection.ip4(host);
        MediaDescription audio = MediaDescription.audio(PLACEHOLDER_PORT, CODECS,
                Map.of(CodecSpec.TELEPHONE_EVENT.payloadType(), EVENTS), MediaDirection.SENDRECV).withPtime(20, 0);
        return new SessionDescription(new Origin("tandem", "0", "0", ours), "tandem", ours, List.of(audio));
    }

    /**
     * The offer in the caller's 200: the callee's answer (its direction stands for the callee's, RFC 3264 §6.1) with
     * the relayed audio stream narrowed to the codec {@code agreed} and its telephone-event.
     */
    static SessionDescription callerOffer(SessionDescription calleeAnswer, SdpRewriter.Agreed agreed) {
        OptionalInt index = SdpRewriter.relayedIndex(calleeAnswer);
        List<MediaDescription> media = new ArrayList<>(calleeAnswer.media());
        if (index.isPresent()) {
            MediaDescription m = media.get(index.getAsInt());
            List<String> formats = new ArrayList<>();
            List<CodecSpec> codecs = new ArrayList<>();
            Map<Integer, String> fmtp = new HashMap<>();
            for (CodecSpec c : m.codecs()) {
                if (c.payloadType() == agreed.codec().payloadType()
                        || c.payloadType() == agreed.telephoneEventPayloadType()) {
                    formats.add(Integer.toString(c.payloadType()));
                    codecs.add(c);
                    m.fmtp(c.payloadType()).ifPresent(p -> fmtp.put(c.payloadType(), p));
                }
            }
            media.set(index.getAsInt(), new MediaDescription(m.media(), m.port(), m.portCount(), m.protocol(),
                    formats, m.connection(), m.bandwidths(), codecs, fmtp, m.direction(), m.ptime(), m.maxptime(),
                    m.attributes()));
        }
        return calleeAnswer.withMedia(media);
    }

    /**
     * The caller's answer in its ACK, read against the offer {@code offered} the node put in its 200: the codec and
     * events it agreed, or why the call cannot go on.
     */
    static Answer read(Optional<SessionDescription> answer, SessionDescription offered, SdpRewriter.Agreed agreed) {
        if (answer.isEmpty()) {
            return new Answer(null, null, Refusal.ACK_WITHOUT_SDP);
        }
        OptionalInt index = SdpRewriter.relayedIndex(offered);
        SessionDescription sdp = answer.get();
        // RFC 3264 §6: the answer has the offer's streams in the offer's order; ours is at the offer's position.
        if (index.isEmpty() || sdp.media().size() != offered.media().size()
                || SdpRewriter.relayedIndex(sdp).orElse(-1) != index.getAsInt()) {
            return new Answer(null, null, Refusal.UNACCEPTABLE_ANSWER);
        }
        Optional<SdpRewriter.Agreed> theirs = SdpRewriter.agreed(sdp);
        if (theirs.isEmpty() || !theirs.get().codec().sameCodecAs(agreed.codec())
                || theirs.get().codec().payloadType() != agreed.codec().payloadType()) {
            return new Answer(null, null, Refusal.UNACCEPTABLE_ANSWER);
        }
        return new Answer(sdp, theirs.get(), null);
    }

    /** The caller's answer: usable ({@code sdp} and {@code agreed}) or refused. */
    record Answer(SessionDescription sdp, SdpRewriter.Agreed agreed, Refusal refusal) {
    }
}
