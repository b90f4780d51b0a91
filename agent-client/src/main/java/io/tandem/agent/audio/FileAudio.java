package io.tandem.agent.audio;

import io.tandem.telephony.media.MediaSink;
import io.tandem.telephony.media.MediaSource;
import io.tandem.telephony.media.WavPlayer;
import io.tandem.telephony.media.WavRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File mode: a call hears {@code play} (looped; silence when none) and the far end is recorded to {@code record}
 * (none: discarded). The first call records to the file as named, later ones to {@code name-2.wav},
 * {@code name-3.wav}... so a headless run of many calls keeps every recording. Disk writes happen on the
 * recorder's own I/O thread, never on the media thread.
 */
public final class FileAudio implements AudioPath {
    /** Bounds a recording somebody forgot to stop (an agent's longest plausible call). */
    private static final Duration MAX_RECORDING = Duration.ofHours(2);

    private final Path play;
    private final Path record;
    private final AtomicInteger calls = new AtomicInteger();

    public FileAudio(Path play, Path record) throws IOException {
        if (play != null && !Files.isReadable(play)) {
            throw new IOException("cannot read " + play);
        }
        this.play = play;
        this.record = record;
        if (play != null) {
            WavPlayer.open(play, false).close(); // fail now, not in the first call, on a file that is not WAV
        }
    }

    /** No file at all: silence out, nothing kept. */
    public static FileAudio silent() {
        try {
            return new FileAudio(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public MediaSource capture(String callId) throws IOException {
        return play == null ? null : WavPlayer.open(play, true);
    }

    @Override
    public MediaSink playback(String callId) throws IOException {
        if (record == null) {
            return null;
        }
        return new WavRecorder(recordingFile(calls.incrementAndGet()), MAX_RECORDING);
    }

    /** The WAV the far end hears, looped; null: silence. */
    public Path playFile() {
        return play;
    }

    /**
     * Where the next call is recorded, counting it as {@link #playback} does; null when nothing is kept. For an engine
     * that records by itself (pjsua2's WAV recorder port).
     */
    public Path nextRecordingFile() {
        return record == null ? null : recordingFile(calls.incrementAndGet());
    }

    @Override
    public MediaSink ringtone() {
        return null;
    }

    /** Where the {@code n}th call (from 1) is recorded. */
    public Path recordingFile(int n) {
        if (n <= 1) {
            return record;
        }
        String name = record.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot < 0 ? name + "-" + n : name.substring(0, dot) + "-" + n + name.substring(dot);
        return record.resolveSibling(numbered);
    }

    @Override
    public String describe() {
        return "file: " + (play == null ? "silence" : play.getFileName()) + " → "
                + (record == null ? "discarded" : record.getFileName());
    }
}
