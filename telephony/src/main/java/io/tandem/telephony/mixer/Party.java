package io.tandem.telephony.mixer;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of a {@link ConferenceMixer}. Its RTP stream writes what the party says into
 * {@link #input()} and reads what the party hears from {@link #output()}, each from its own
 * thread, while the mixer's {@code tick()} runs on the media clock thread.
 *
 * <p>Threading: the two directions are lock-free {@link FrameRing}s. Writers of the input are
 * serialised by {@code writeLock}, readers of the output by {@code readLock} (both normally
 * uncontended: one RTP thread each). Role, whisper target and mute are volatile published
 * values the tick reads once per tick, so a mode change takes effect on the next tick and
 * never half-way through one.
 */
public final class Party {
    private static final int N = AudioFrames.SAMPLES_PER_FRAME;
    /** Frames a side may queue (80 ms) and the backlog the consumer keeps (40 ms). */
    private static final int RING_CAPACITY = 4;
    private static final int MAX_BACKLOG = 2;

    /** Role and whisper target change together, so they are published as one immutable value. */
    private record Mode(PartyRole role, Party target) {
    }

    private static final Mode SPEAKING = new Mode(PartyRole.SPEAKER, null);
    private static final Mode LISTENING = new Mode(PartyRole.LISTENER, null);

    private final String id;
    private final ConferenceMixer mixer;
    private final FrameRing inbound = new FrameRing(RING_CAPACITY, MAX_BACKLOG);
    private final FrameRing outbound = new FrameRing(RING_CAPACITY, MAX_BACKLOG);
    /** Serialises producers of {@link #inbound}. */
    private final Object writeLock = new Object();
    /** Serialises consumers of {@link #outbound}. */
    private final Object readLock = new Object();
    private final AtomicLong badFrames = new AtomicLong();
    private volatile Mode mode = SPEAKING;
    private volatile boolean muted;
    private volatile boolean joined = true;

    // Scratch state of the tick: guarded by ConferenceMixer.tickLock (only the tick touches it).
    final int[] in = new int[N];
    final int[] extra = new int[N];
    boolean contributes;
    boolean hasExtra;
    Party whisperTargetThisTick;

    private final MediaSink input = new MediaSink() {
        @Override
        public void write(short[] frame) {
            if (frame == null || frame.length < N) {
                badFrames.incrementAndGet();
                return;
            }
            if (!joined) {
                return;
            }
            synchronized (writeLock) {
                inbound.offer(frame);
            }
        }
    };

    private final MediaSource output = new MediaSource() {
        @Override
        public boolean read(short[] frame) {
            if (!joined) {
                Arrays.fill(frame, 0, N, (short) 0);
                return false;
            }
            synchronized (readLock) {
                if (!outbound.poll(frame)) {
                    // Nothing mixed since the last read: silence, never the previous mix again.
                    Arrays.fill(frame, 0, N, (short) 0);
                }
            }
            return true;
        }
    };

    Party(String id, ConferenceMixer mixer) {
        this.id = id;
        this.mixer = mixer;
    }

    public String id() {
        return id;
    }

    /** Where the party's stream writes what the party says (one 20 ms frame per write). */
    public MediaSink input() {
        return input;
    }

    /** Where the party's stream reads its mix: everybody it may hear, minus itself. */
    public MediaSource output() {
        return output;
    }

    public PartyRole role() {
        return mode.role();
    }

    /** The party this one whispers to, when {@link #role()} is {@link PartyRole#WHISPERER}. */
    public Optional<Party> whisperTarget() {
        return Optional.ofNullable(mode.target());
    }

    /** Heard by everybody (the default). */
    public void speak() {
        mode = SPEAKING;
    }

    /** Hears everybody, heard by nobody (supervisor listen). */
    public void listenOnly() {
        mode = LISTENING;
    }

    /** Hears everybody, heard only by {@code target} (supervisor whisper). */
    public void whisperTo(Party target) {
        if (target == this) {
            throw new IllegalArgumentException("party " + id + " cannot whisper to itself");
        }
        if (target == null || target.mixer != mixer) {
            throw new IllegalArgumentException("whisper target must be a party of the same conference");
        }
        mode = new Mode(PartyRole.WHISPERER, target);
    }

    /** A muted party still hears; nobody hears it, whatever its role. */
    public void setMuted(boolean muted) {
        this.muted = muted;
    }

    public boolean isMuted() {
        return muted;
    }

    public boolean isJoined() {
        return joined;
    }

    /** Leaves the conference; the output then reads as ended and input is ignored. Idempotent. */
    public void leave() {
        mixer.remove(this);
    }

    /** Input frames refused because the party sent faster than the mixer ticks (ring full). */
    public long inputFramesDropped() {
        return inbound.droppedFull() + inbound.skippedBacklog();
    }

    /** Mixed frames the party's stream did not read in time. */
    public long outputFramesDropped() {
        return outbound.droppedFull() + outbound.skippedBacklog();
    }

    /** Frames written with a wrong size (or null), dropped. */
    public long badFrames() {
        return badFrames.get();
    }

    void markLeft() {
        joined = false;
    }

    /** Tick, step 1: take this tick's input (or silence) and snapshot the mode. */
    void beginTick() {
        boolean spoke = inbound.pollInto(in);
        Mode m = mode;
        boolean audible = spoke && !muted;
        contributes = audible && m.role() == PartyRole.SPEAKER;
        Party target = m.target();
        whisperTargetThisTick = audible && target != null && target.joined ? target : null;
        hasExtra = false;
    }

    /** Tick, step 2: hand this tick's mix to the output side. */
    void publishMix(int[] mix) {
        outbound.offerSaturated(mix);
    }

    @Override
    public String toString() {
        return "Party[" + id + ", " + mode.role() + (muted ? ", muted" : "") + "]";
    }
}
