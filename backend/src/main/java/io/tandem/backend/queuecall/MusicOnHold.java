package io.tandem.backend.queuecall;

import io.tandem.telephony.media.AudioClip;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.media.WavPlayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Music on hold by class: the WAV files of the music directory (class {@code default}) or of its sub-directory of
 * the class's name, decoded once and shared; every caller gets its own looping player starting on a random track.
 * A class without playable files plays silence (logged once), never fails the call.
 */
final class MusicOnHold {

    private static final Logger log = LoggerFactory.getLogger(MusicOnHold.class);

    private final Path directory;
    private final Map<String, List<AudioClip>> classes = new ConcurrentHashMap<>();

    MusicOnHold(Path directory) {
        this.directory = directory;
    }

    /** A looping player of the class (or silence). */
    MediaSource player(String musicClass) {
        List<AudioClip> clips = classes.computeIfAbsent(musicClass == null ? "default" : musicClass, this::load);
        if (clips.isEmpty()) {
            return frame -> {
                java.util.Arrays.fill(frame, (short) 0);
                return true;
            };
        }
        return new WavPlayer(clips.get(ThreadLocalRandom.current().nextInt(clips.size())), true);
    }

    private List<AudioClip> load(String musicClass) {
        Path dir = "default".equals(musicClass) ? directory : directory.resolve(musicClass).normalize();
        if (!dir.startsWith(directory) || !Files.isDirectory(dir)) {
            log.warn("music on hold class '{}': no directory {}; callers hear silence", musicClass, dir);
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<AudioClip> clips = files.filter(f -> f.getFileName().toString().endsWith(".wav")).sorted()
                    .map(MusicOnHold::clip).filter(c -> c != null && c.length() > 0).toList();
            log.info("music on hold class '{}': {} track(s) from {}", musicClass, clips.size(), dir);
            return clips;
        } catch (IOException e) {
            log.warn("music on hold class '{}': cannot list {}: {}", musicClass, dir, e.getMessage());
            return List.of();
        }
    }

    private static AudioClip clip(Path file) {
        try {
            return AudioClip.load(file);
        } catch (IOException | RuntimeException e) {
            log.warn("music on hold: skipping {}: {}", file, e.getMessage());
            return null;
        }
    }
}
