package io.tandem.agent.engine.pjsua2;

import java.nio.file.Path;
import org.pjsip.pjsua2.AudDevManager;
import org.pjsip.pjsua2.AudioMedia;
import org.pjsip.pjsua2.AudioMediaPlayer;
import org.pjsip.pjsua2.AudioMediaRecorder;

/**
 * Where one call's audio goes in PJSIP's conference bridge: the sound device (capture to the call, the call to
 * playback), or in file mode a looped WAV player to the call and the call to a WAV recorder, on PJSIP's null sound
 * device (the bridge's clock without a sound card). The player and recorder are created when the call's media first
 * comes up and deleted explicitly when it ends. PJSIP threads only (the callback or the engine's PJSIP thread).
 */
final class CallAudio {
    private final AudDevManager devices;
    private final boolean files;
    private final Path play;
    private final Path record;
    private AudioMediaPlayer player;
    private AudioMediaRecorder recorder;
    private boolean released;

    private CallAudio(AudDevManager devices, boolean files, Path play, Path record) {
        this.devices = devices;
        this.files = files;
        this.play = play;
        this.record = record;
    }

    static CallAudio soundCard(AudDevManager devices) {
        return new CallAudio(devices, false, null, null);
    }

    /** File mode: {@code play} looped to the far end, the far end recorded to {@code record} (either may be null). */
    static CallAudio files(AudDevManager devices, Path play, Path record) {
        return new CallAudio(devices, true, play, record);
    }

    /** Joins the call's media {@code media} to the devices or files (again after a re-INVITE: connecting twice is harmless). */
    void connect(AudioMedia media) throws Exception {
        if (released) {
            return;
        }
        if (!files) {
            devices.getCaptureDevMedia().startTransmit(media);
            media.startTransmit(devices.getPlaybackDevMedia());
            return;
        }
        if (play != null) {
            if (player == null) {
                player = new AudioMediaPlayer();
                player.createPlayer(play.toString(), 0); // 0: loop (PJMEDIA_FILE_NO_LOOP not set)
            }
            player.startTransmit(media);
        }
        if (record != null) {
            if (recorder == null) {
                recorder = new AudioMediaRecorder();
                recorder.createRecorder(record.toString());
            }
            media.startTransmit(recorder);
        }
    }

    /** Deletes the player and recorder (closing the recording's WAV header); later connects do nothing. */
    void release() {
        released = true;
        if (player != null) {
            player.delete();
            player = null;
        }
        if (recorder != null) {
            recorder.delete();
            recorder = null;
        }
    }
}
