package io.tandem.telephony.relay;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The media of one B2BUA call without decoding: two legs, each its own RTP/RTCP port pair,
 * packets forwarded leg to leg with SSRC, sequence and timestamp passed through. The
 * payload type is rewritten when the legs agreed different numbers, telephone-events pass
 * through under the other leg's payload type, and G.711 is converted by table when one leg
 * speaks PCMU and the other PCMA. Created by {@link RtpRelayEngine#open}.
 */
public final class RtpRelay implements AutoCloseable {
    private final RtpRelayEngine engine;
    private final RelayLeg legA;
    private final RelayLeg legB;
    private final AtomicBoolean closed = new AtomicBoolean();

    RtpRelay(RtpRelayEngine engine, RelayLeg legA, RelayLeg legB) {
        this.engine = engine;
        this.legA = legA;
        this.legB = legB;
        legA.peer(legB);
        legB.peer(legA);
    }

    /** The leg towards the calling party. */
    public RelayLeg legA() {
        return legA;
    }

    /** The leg towards the called party. */
    public RelayLeg legB() {
        return legB;
    }

    /** Packets received on leg A and sent out of leg B. */
    public RelayStatistics aToB() {
        return legA.statistics();
    }

    /** Packets received on leg B and sent out of leg A. */
    public RelayStatistics bToA() {
        return legB.statistics();
    }

    /** Stops relaying and frees both port pairs; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.remove(this);
        }
    }
}
