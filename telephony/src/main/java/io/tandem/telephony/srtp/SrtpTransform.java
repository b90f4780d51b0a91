package io.tandem.telephony.srtp;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of one SRTP stream (RFC 3711) as a stage of a packet path: {@link #protecting} encrypts and
 * authenticates what we send, {@link #unprotecting} checks and decrypts what we receive. It works in place on the
 * caller's buffer (which must have room for the tag, {@link #HEADROOM}); the crypto contexts are derived once per
 * SSRC, so a steady stream allocates nothing per packet. Not thread-safe: one packet thread uses it.
 *
 * <p>A packet that fails authentication or replay checks (RFC 3711 §3.3, §3.3.2) is refused and counted, never
 * passed on: {@link #authFailures()}, {@link #replayed()}.
 */
public final class SrtpTransform {
    /** Bytes a protected packet may grow by: the SRTCP index and an 80-bit tag (RFC 3711 §3.4). */
    public static final int HEADROOM = 4 + 10;
    /** Returned instead of a length for a packet that was refused. */
    public static final int REFUSED = -1;

    private static final org.jitsi.utils.logging2.Logger JITSI_LOG = new LoggerImpl(SrtpTransform.class.getName());

    private final boolean sender;
    private final SrtpContextFactory factory;
    private final PacketView view = new PacketView();
    private SrtpCryptoContext rtp;
    private SrtcpCryptoContext rtcp;
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    private SrtpTransform(boolean sender, CryptoAttribute key) {
        this.sender = sender;
        this.factory = new SrtpContextFactory(sender, key.masterKey(), key.masterSalt(), key.suite().srtpPolicy(),
                key.suite().srtcpPolicy(), JITSI_LOG);
    }

    /** Protects what we send with our key ({@link Sdes.Keys#local()}). */
    public static SrtpTransform protecting(CryptoAttribute key) {
        return new SrtpTransform(true, key);
    }

    /** Unprotects what the peer sends with its key ({@link Sdes.Keys#remote()}). */
    public static SrtpTransform unprotecting(CryptoAttribute key) {
        return new SrtpTransform(false, key);
    }

    /**
     * Protects or unprotects the RTP packet in {@code buf[0, length)}, in place.
     *
     * @return the packet's new length, or {@link #REFUSED}
     */
    public int rtp(byte[] buf, int length) {
        if (length < 12) {
            malformed.incrementAndGet();
            return REFUSED;
        }
        int ssrc = readInt(buf, 8);
        try {
            if (rtp == null || rtp.getSsrc() != ssrc) {
                // RFC 3711 §3.2.1: a new SSRC starts with rollover counter 0.
                rtp = factory.deriveContext(ssrc, 0);
            }
            view.wrap(buf, length);
            SrtpErrorStatus status = sender ? rtp.transformPacket(view) : rtp.reverseTransformPacket(view, false);
            return finish(status);
        } catch (GeneralSecurityException | IllegalStateException e) {
            // a key the cipher refused, or no room for the tag: counted, the packet dropped
            malformed.incrementAndGet();
            return REFUSED;
        }
    }

    /**
     * Protects or unprotects the RTCP compound packet in {@code buf[0, length)}, in place (SRTCP, RFC 3711 §3.4).
     *
     * @return the packet's new length, or {@link #REFUSED}
     */
    public int rtcp(byte[] buf, int length) {
        if (length < 8) {
            malformed.incrementAndGet();
            return REFUSED;
        }
        int ssrc = readInt(buf, 4);
        try {
            if (rtcp == null || rtcp.getSsrc() != ssrc) {
                rtcp = factory.deriveControlContext(ssrc);
            }
            view.wrap(buf, length);
            SrtpErrorStatus status = sender ? rtcp.transformPacket(view) : rtcp.reverseTransformPacket(view);
            return finish(status);
        } catch (GeneralSecurityException | IllegalStateException e) {
            // a key the cipher refused, or no room for the tag: counted, the packet dropped
            malformed.incrementAndGet();
            return REFUSED;
        }
    }

    private int finish(SrtpErrorStatus status) {
        switch (status) {
            case OK:
                return view.getLength();
            case AUTH_FAIL:
                authFailures.incrementAndGet();
                return REFUSED;
            case REPLAY_FAIL:
            case REPLAY_OLD:
                replayed.incrementAndGet();
                return REFUSED;
            default:
                malformed.incrementAndGet();
                return REFUSED;
        }
    }

    private static int readInt(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | buf[at + 3] & 0xFF;
    }

    /** Packets whose authentication tag did not match (forged, corrupted, or keyed wrongly). */
    public long authFailures() {
        return authFailures.get();
    }

    /** Packets refused as replays (RFC 3711 §3.3.2). */
    public long replayed() {
        return replayed.get();
    }

    /** Packets too short or otherwise unusable. */
    public long malformed() {
        return malformed.get();
    }

    /** Packets refused for any reason. */
    public long refused() {
        return authFailures.get() + replayed.get() + malformed.get();
    }
}
