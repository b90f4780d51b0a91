package io.tandem.telephony.rtp;

/**
 * Reception statistics for one RTP source, exactly as RFC 3550 Appendix A describes them:
 * sequence validation with probation (A.1), expected/lost/fraction lost (A.3) and the
 * interarrival jitter estimator (A.8). Not thread-safe: the owner serialises access.
 */
public final class ReceiverStatistics {
    /** A.1: packets in sequence needed before a source is valid. */
    static final int MIN_SEQUENTIAL = 2;
    /** A.1: largest forward jump still taken as loss rather than a restart. */
    static final int MAX_DROPOUT = 3000;
    /** A.1: largest backward step still taken as reordering. */
    static final int MAX_MISORDER = 100;
    private static final int RTP_SEQ_MOD = 1 << 16;

    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long badSeq = RTP_SEQ_MOD + 1;
    private int probation = MIN_SEQUENTIAL;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private boolean initialised;

    private boolean jitterStarted;
    private long lastTransit;
    private double jitter;

    /**
     * Accounts one packet (A.1 update_seq) and, when it is accepted, its jitter (A.8).
     *
     * @param seq          the packet's 16-bit sequence number
     * @param rtpTimestamp the packet's RTP timestamp
     * @param arrival      the arrival time in the same units as the RTP timestamp
     * @return true when the packet counts as valid for this source (out of probation and in sequence)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrival) {
        boolean valid = updateSequence(seq & 0xFFFF);
        if (valid) {
            updateJitter(rtpTimestamp, arrival);
        }
        return valid;
    }

    /**
     * Accounts a packet for sequence and loss only, not jitter: RFC 4733 telephone-events share
     * the stream's sequence space but hold their timestamp for the whole event.
     */
    public boolean onPacketWithoutTiming(int seq) {
        return updateSequence(seq & 0xFFFF);
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
        jitterStarted = false;
        jitter = 0;
    }

    private boolean updateSequence(int seq) {
        if (!initialised) {
            // A.1: a new source starts on probation, with max_seq one before its first packet.
            initialised = true;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD; // wrapped
            }
            maxSeq = seq;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            // a very large jump
            if (seq == badSeq) {
                // two sequential packets: the other side restarted without telling us (A.1)
                initSequence(seq);
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        }
        // else: duplicate or reordered packet, counted as received
        received++;
        return true;
    }

    private void updateJitter(long rtpTimestamp, long arrival) {
        // A.8: D(i-1,i) from the difference of relative transit times, smoothed by 1/16.
        long transit = arrival - rtpTimestamp;
        if (jitterStarted) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        jitterStarted = true;
    }

    /** True once the source passed probation (A.1). */
    public boolean validated() {
        return initialised && probation == 0;
    }

    /** Packets accepted (duplicates included, as in A.1). */
    public long received() {
        return received;
    }

    /** A.3: cycles + max_seq. */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** A.3: packets expected since the first valid one. */
    public long expected() {
        return validated() ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    /**
     * A.3: cumulative packets lost; negative when duplicates outnumber losses, as the RFC
     * allows.
     */
    public long cumulativeLost() {
        return expected() - received;
    }

    /**
     * A.3: fraction lost since the previous call, in 1/256, and starts a new interval.
     * Called once per RTCP report.
     */
    public int fractionLostAndReset() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /** A.8: interarrival jitter in timestamp units. */
    public double jitter() {
        return jitter;
    }

    /** The report block for this source as RFC 3550 §6.4.1 sends it; starts a new fraction-lost interval. */
    public ReportBlock reportBlock(long ssrc, long lastSenderReport, long delaySinceLastSenderReport) {
        long lost = cumulativeLost();
        int fraction = fractionLostAndReset();
        return new ReportBlock(ssrc, fraction, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lost)),
                extendedHighestSequence() & 0xFFFFFFFFL, (long) jitter & 0xFFFFFFFFL,
                lastSenderReport, delaySinceLastSenderReport);
    }

    /** Forgets the source (new SSRC): the next packet starts probation again. */
    public void reset() {
        initialised = false;
        probation = MIN_SEQUENTIAL;
        received = 0;
        cycles = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        jitterStarted = false;
        jitter = 0;
    }
}
