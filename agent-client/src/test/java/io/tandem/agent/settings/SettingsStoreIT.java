package io.tandem.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file on disk: what the window saves, and what it leaves of the keys set by hand. */
class SettingsStoreIT {
    @TempDir
    Path dir;

    @Test
    void savingKeepsTheEngineChosenByHand() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "engine=java\nagent-id=1001\n", StandardCharsets.UTF_8);

        store.save(store.load().withLogin("http://10.0.0.1:8080", "demo", "1002"));

        String saved = Files.readString(store.file(), StandardCharsets.UTF_8);
        assertThat(saved).contains("engine=java").contains("agent-id=1002");
        assertThat(store.load().agentId()).isEqualTo("1002");
    }
}
