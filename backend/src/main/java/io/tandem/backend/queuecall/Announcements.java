package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioClip;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.media.WavPlayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Position and estimated-wait announcements from the Debian prompts (asterisk-core-sounds-en-wav, Allison's voice):
 * "there are 3 calls waiting" / "you are next", "the estimated hold time is 4 minutes" / "less than 1 minute", in
 * Asterisk app_queue's wording. Prompts are decoded once; a missing prompt is skipped (and logged once), so a
 * machine without the sounds package announces nothing rather than failing the call.
 */
final class Announcements {

    private static final Logger log = LoggerFactory.getLogger(Announcements.class);

    private final Path directory;
    private final Map<String, Optional<AudioClip>> clips = new ConcurrentHashMap<>();

    Announcements(Path directory) {
        this.directory = directory;
    }

    /** The prompts to play for a caller at {@code position} with {@code estimatedWait}, in order. */
    List<String> words(boolean position, int place, boolean estimatedWait, Duration wait) {
        List<String> words = new ArrayList<>();
        if (position && place > 0) {
            if (place == 1) {
                words.add("queue-youarenext");
            } else {
                words.add("queue-thereare");
                words.addAll(number(place - 1));
                words.add("queue-callswaiting");
            }
        }
        if (estimatedWait) {
            long minutes = (wait.toSeconds() + 59) / 60;
            words.add("queue-holdtime");
            if (minutes <= 1) {
                words.add("queue-less-than");
                words.addAll(number(1));
                words.add("queue-minute");
            } else {
                words.addAll(number((int) Math.min(minutes, 99)));
                words.add("queue-minutes");
            }
        }
        return words;
    }

    /** digits/ prompts for 0-99 (English: "twenty" "three"). */
    static List<String> number(int n) {
        if (n <= 20) {
            return List.of("digits/" + n);
        }
        int tens = n / 10 * 10;
        return n % 10 == 0 ? List.of("digits/" + tens) : List.of("digits/" + tens, "digits/" + n % 10);
    }

    /** A source playing the prompts one after the other, then {@code after} (the caller's music, resumed). */
    MediaSource player(List<String> words, MediaSource after) {
        List<AudioClip> loaded = new ArrayList<>();
        for (String word : words) {
            clips.computeIfAbsent(word, this::load).ifPresent(loaded::add);
        }
        return new Sequence(loaded, after);
    }

    /** How long {@link #player} plays these prompts for (missing prompts count nothing). */
    Duration duration(List<String> words) {
        long samples = 0;
        for (String word : words) {
            samples += clips.computeIfAbsent(word, this::load).map(AudioClip::length).orElse(0);
        }
        return Duration.ofMillis(samples * 1000 / io.tandem.telephony.media.AudioFrames.SAMPLE_RATE);
    }

    /** One prompt over and over (a DID's looping prompt); silence when it is missing. */
    MediaSource looping(String word) {
        return clips.computeIfAbsent(word, this::load).<MediaSource>map(clip -> new WavPlayer(clip, true))
                .orElse(frame -> false);
    }

    /** True when {@code word} names a prompt file of the directory (not cached: an admin may add it any time). */
    boolean exists(String word) {
        Path base = directory.toAbsolutePath().normalize();
        Path file = base.resolve(word + ".wav").normalize();
        return file.startsWith(base) && Files.isRegularFile(file);
    }

    private Optional<AudioClip> load(String word) {
        Path file = directory.resolve(word + ".wav").normalize();
        if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
            log.warn("announcement prompt {} missing ({}); skipped", word, file);
            return Optional.empty();
        }
        try {
            return Optional.of(AudioClip.load(file));
        } catch (IOException | RuntimeException e) {
            log.warn("announcement prompt {} unreadable: {}; skipped", word, e.getMessage());
            return Optional.empty();
        }
    }

    /** Prompts in order, then the music; read on the media thread only (built before it is handed over). */
    private static final class Sequence implements MediaSource {
        private final List<AudioClip> prompts;
        private final MediaSource after;
        private int index;
        private WavPlayer current;

        Sequence(List<AudioClip> prompts, MediaSource after) {
            this.prompts = prompts;
            this.after = after;
        }

        @Override
        public boolean read(short[] frame) {
            while (index < prompts.size()) {
                if (current == null) {
                    current = new WavPlayer(prompts.get(index), false);
                }
                if (current.read(frame)) {
                    return true;
                }
                current = null;
                index++;
            }
            return after.read(frame);
        }
    }
}
