package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A prompt a caller hears before the node hangs up or declines: the caller is let go once the prompt and a tail of
 * silence have actually been sent, as counted by the media thread reading the source frame by frame, not when a
 * wall-clock timer of the prompt's length says so. Under load the media clock skips ticks it could not run (a
 * stalled machine plays the prompt later, it does not burst it), and a timer would cut the prompt short.
 *
 * <p>A source nobody reads (the leg ended, the stream never started) would hold the caller forever, so the goodbye
 * also has a deadline: twice its length plus {@link #GRACE}.
 */
final class Goodbye {

    /** Past the prompt's end before the BYE: the last packets leave and the jitter buffer at the far end drains. */
    static final Duration TAIL = Duration.ofMillis(400);
    /** Added to twice the goodbye's length for the deadline that lets the caller go if the prompt is never read. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final MediaSource source;
    private final Duration length;
    private final CompletableFuture<Void> played = new CompletableFuture<>();

    /**
     * @param prompt plays the prompt, returning false once it is over
     * @param promptLength how long the prompt plays for
     */
    Goodbye(MediaSource prompt, Duration promptLength) {
        this.length = promptLength.plus(TAIL);
        this.source = new ThenTail(prompt, (int) (TAIL.toMillis() / AudioFrames.FRAME_MILLIS), played);
    }

    /** What the caller hears: the prompt, then silence. */
    MediaSource source() {
        return source;
    }

    /** The prompt's length and its tail: how long the goodbye takes when the media clock keeps time. */
    Duration length() {
        return length;
    }

    /**
     * Runs {@code task} once on {@code timers}' thread when the prompt and its tail have been sent, or at the
     * deadline if they never are.
     */
    void afterHeard(Timers timers, Runnable task) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        };
        Timers.Timer deadline = timers.after(length.multipliedBy(2).plus(GRACE), once);
        played.thenRun(() -> timers.after(Duration.ZERO, () -> {
            deadline.cancel();
            once.run();
        }));
    }

    /** The prompt, then {@code tailFrames} of silence, after which {@code played} completes (on the media thread). */
    private static final class ThenTail implements MediaSource {
        private final MediaSource prompt;
        private final CompletableFuture<Void> played;
        private int tailFrames;
        private boolean promptOver;

        ThenTail(MediaSource prompt, int tailFrames, CompletableFuture<Void> played) {
            this.prompt = prompt;
            this.tailFrames = tailFrames;
            this.played = played;
        }

        @Override
        public boolean read(short[] frame) {
            if (!promptOver) {
                if (prompt.read(frame)) {
                    return true;
                }
                promptOver = true;
            }
            if (tailFrames > 0) {
                tailFrames--;
            }
            if (tailFrames == 0) {
                played.complete(null);
            }
            return false;
        }

        @Override
        public void close() {
            prompt.close();
        }
    }
}
