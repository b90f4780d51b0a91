package io.tandem.backend.queuecall;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Queue calls answered on this node ({@code tandem.queuecall.*}).
 *
 * @param musicDirectory  music-on-hold classes: WAV files (8 kHz mono 16-bit) of this directory play in a loop for
 *                        the class {@code default}, those of a sub-directory for the class of that name (Debian
 *                        asterisk-moh-opsound-wav)
 * @param placerThreads   threads that ring agents for the offers this node places (off the dispatcher's thread)
 */
@Validated
@ConfigurationProperties("tandem.queuecall")
public record QueueCallProperties(
        @DefaultValue("/usr/share/asterisk/moh") @NotNull Path musicDirectory,
        @DefaultValue("2") int placerThreads) {

    public QueueCallProperties {
        if (placerThreads < 1 || placerThreads > 64) {
            throw new IllegalArgumentException("tandem.queuecall.placer-threads must be 1-64");
        }
    }
}
