package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.telephony.media.AudioFrames;
import io.tandem.telephony.media.MediaSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {

    private final Announcements announcements = new Announcements(Path.of("/nonexistent-prompts"));

    @Test
    void theNextCallerHearsItIsNextAndAShortWaitIsLessThanAMinute() {
        assertThat(announcements.words(true, 1, true, Duration.ofSeconds(20))).containsExactly("queue-youarenext",
                "queue-holdtime", "queue-less-than", "digits/1", "queue-minute");
    }

    @Test
    void aLaterCallerHearsTheCallsAheadAndTheWaitInMinutesRoundedUp() {
        assertThat(announcements.words(true, 4, true, Duration.ofSeconds(200))).containsExactly("queue-thereare",
                "digits/3", "queue-callswaiting", "queue-holdtime", "digits/4", "queue-minutes");
        assertThat(announcements.words(false, 4, true, Duration.ofMinutes(2))).containsExactly("queue-holdtime",
                "digits/2", "queue-minutes");
        assertThat(announcements.words(true, 3, false, Duration.ZERO)).containsExactly("queue-thereare", "digits/2",
                "queue-callswaiting");
    }

    @Test
    void numbersAreSaidAsTensAndUnits() {
        assertThat(Announcements.number(7)).containsExactly("digits/7");
        assertThat(Announcements.number(20)).containsExactly("digits/20");
        assertThat(Announcements.number(23)).containsExactly("digits/20", "digits/3");
        assertThat(Announcements.number(90)).containsExactly("digits/90");
    }

    @Test
    void missingPromptsAreSkippedAndTheMusicPlays() {
        MediaSource music = frame -> {
            Arrays.fill(frame, (short) 7);
            return true;
        };
        MediaSource player = announcements.player(List.of("queue-thereare", "digits/3"), music);
        short[] frame = AudioFrames.newFrame();
        assertThat(player.read(frame)).isTrue();
        assertThat(frame).containsOnly((short) 7);
    }
}
