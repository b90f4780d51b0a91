package io.tandem.backend.call;

import io.tandem.telephony.sdp.MediaDescription;
import io.tandem.telephony.sdp.SessionDescription;
import io.tandem.telephony.srtp.Sdes;
import io.tandem.telephony.srtp.SdesException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SRTP the B2BUA ended ({@link SrtpTermination}) for a caller whose number a feature of the node answers itself (a
 * queue): the feature negotiates with the offer's plain form, secures the caller's stream with {@link #keys} and
 * sends {@link #secure} of its answer, so the caller gets {@code RTP/SAVP} with the node's key (RFC 4568).
 *
 * @param offer the caller's offer with its SRTP audio stream turned into plain RTP
 * @param keys  the caller's leg's keys: the node's (local) and the caller's (remote)
 */
public record CallerSrtp(SessionDescription offer, Sdes.Keys keys) {

    public CallerSrtp {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * A re-offer of a party whose leg speaks {@code current} (hold, resume, a new key): its plain form and the keys,
     * new only when the party changed its own (RFC 4568 §7.1.4; a new key of theirs gets a new one of ours).
     *
     * @throws SdesException the re-offer dropped SRTP, or its keys are unusable: refused with 488
     */
    public static CallerSrtp reoffered(SessionDescription offer, Sdes.Keys current) throws SdesException {
        SrtpTermination.Terminated terminated = SrtpTermination.reoffer(offer, current);
        return new CallerSrtp(terminated.offer(), terminated.keys());
    }

    /** {@code answer} as the caller must get it: its audio stream in use {@code RTP/SAVP} with the node's key. */
    public SessionDescription secure(SessionDescription answer) {
        List<MediaDescription> media = new ArrayList<>(answer.media());
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            if (m.isAudio() && m.port() != 0) {
                media.set(i, SrtpTermination.secured(m, keys));
                break;
            }
        }
        return answer.withMedia(media);
    }
}
