package io.tandem.agent.settings;

import io.tandem.agent.engine.SipSecurity;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PhoneSettings} in {@code ~/.config/tandem/phone.properties} (or the directory of the system property
 * {@code tandem.config.dir}). Written to a temporary file and moved into place, so a crash never leaves half a file.
 */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);

    private final Path file;

    public SettingsStore(Path directory) {
        this.file = directory.resolve("phone.properties");
    }

    /** The store in the user's configuration directory. */
    public static SettingsStore forUser() {
        String dir = System.getProperty("tandem.config.dir");
        Path base = dir != null ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".config", "tandem");
        return new SettingsStore(base);
    }

    public Path file() {
        return file;
    }

    private Properties existing() {
        Properties p = new Properties();
        if (Files.isReadable(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                LOG.warn("cannot read {} before saving: {}; keys set by hand are not kept", file, e.getMessage());
            }
        }
        return p;
    }

    public PhoneSettings load() {
        PhoneSettings d = PhoneSettings.defaults();
        if (!Files.isReadable(file)) {
            return d;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; using defaults", file, e.getMessage());
            return d;
        }
        return new PhoneSettings(p.getProperty("backend-url", d.backendUrl()), p.getProperty("tenant", d.tenant()),
                p.getProperty("agent-id", d.agentId()), p.getProperty("microphone", d.microphone()),
                p.getProperty("speaker", d.speaker()),
                Boolean.parseBoolean(p.getProperty("auto-answer", String.valueOf(d.autoAnswer()))),
                Boolean.parseBoolean(p.getProperty("ringtone", String.valueOf(d.ringtone()))), security(p));
    }

    /**
     * The SIP security keys; a bad value (edited by hand) is named in the log and the phone stays on plain UDP
     * rather than half-apply it: the settings sheet shows the plain values, so the agent sees nothing is secured.
     */
    private SipSecurity security(Properties p) {
        try {
            return SecuritySettings.parse(p.getProperty(SecuritySettings.TRANSPORT, ""),
                    p.getProperty(SecuritySettings.TLS_PORT, ""), p.getProperty(SecuritySettings.TRUST, ""),
                    p.getProperty(SecuritySettings.SRTP, ""));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: {}; using plain UDP without SRTP until the settings are saved again", file, e.getMessage());
            return SipSecurity.plain();
        }
    }

    /** Writes {@code s}; keys the window does not edit (e.g. {@code engine}, read by {@code ./tandem phone}) stay. */
    public void save(PhoneSettings s) {
        Properties p = existing();
        p.setProperty("backend-url", s.backendUrl());
        p.setProperty("tenant", s.tenant());
        p.setProperty("agent-id", s.agentId());
        p.setProperty("microphone", s.microphone());
        p.setProperty("speaker", s.speaker());
        p.setProperty("auto-answer", String.valueOf(s.autoAnswer()));
        p.setProperty("ringtone", String.valueOf(s.ringtone()));
        SecuritySettings.store(s.security(), p);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "Tandem softphone settings (no password is ever stored here)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save settings to {}: {}", file, e.getMessage());
        }
    }
}
