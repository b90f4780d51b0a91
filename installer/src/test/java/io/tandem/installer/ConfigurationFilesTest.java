package io.tandem.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged configuration files list every setting of the {@code *Properties} records with the default the
 * record declares, so an operator reading node.yml sees what the node does. Read from the records' sources: a field
 * added to a record without a line here fails this test.
 */
class ConfigurationFilesTest {

    private static final Path BACKEND = Path.of("../backend/src/main/java/io/tandem/backend");
    private static final Path CALLBACK = Path.of("../callback-service/src/main/java/io/tandem/callback");
    private static final Path PUSH = CALLBACK.resolve("push");
    private static final Path DEB = Path.of("src/deb");

    /** Settings the package sets rather than leaving at the record's default, and why (said in the file too). */
    private static final List<String> SET_BY_THE_PACKAGE = List.of(
            "tandem.redis.uri"); // an installed node uses the local redis-server, not the demo's embedded Redis

    /** Prefixes of PushProperties' nested records (a map's entries are written with a placeholder name). */
    private static final Map<String, String> PUSH_SECTIONS = Map.of("PushProperties", "tandem.push",
            "Apns", "tandem.push.apns", "Fcm", "tandem.push.fcm", "Webhook", "tandem.push.webhook",
            "Target", "tandem.push.webhook.targets.<name>");

    @Test
    void nodeYmlListsEverySettingOfTheNodeWithItsDefault() throws IOException {
        String yml = Files.readString(DEB.resolve("node/etc/node.yml"));
        // Every settings record of the node, found rather than listed: a feature's new record cannot be forgotten.
        List<Path> records;
        try (Stream<Path> files = Files.walk(BACKEND)) {
            records = files.filter(f -> f.getFileName().toString().endsWith("Properties.java")).sorted().toList();
        }
        assertThat(records).as("settings records of the node").hasSizeGreaterThan(12);
        int settings = 0;
        List<String> missing = new ArrayList<>();
        for (Path record : records) {
            String source = Files.readString(record);
            Matcher prefix = Pattern.compile("@ConfigurationProperties\\(\"([^\"]+)\"\\)").matcher(source);
            assertThat(prefix.find()).as(record.toString()).isTrue();
            for (Setting setting : settings(prefix.group(1), source.substring(source.indexOf("public record")))) {
                missing(yml, setting).ifPresent(missing::add);
                settings++;
            }
        }
        assertThat(missing).as("lines node.yml lacks (every node setting with its default)").isEmpty();
        assertThat(settings).as("settings found in the records").isGreaterThan(50);
    }

    @Test
    void callbackYmlListsEveryServiceAndTicketSettingWithItsDefault() throws IOException {
        String yml = Files.readString(DEB.resolve("callback/etc/callback.yml"));
        int settings = 0;
        for (String record : List.of("cluster/CallbackProperties", "ticket/TicketProperties")) {
            String source = Files.readString(CALLBACK.resolve(record + ".java"));
            Matcher prefix = Pattern.compile("@ConfigurationProperties\\(\"([^\"]+)\"\\)").matcher(source);
            assertThat(prefix.find()).as(record.toString()).isTrue();
            for (Setting setting : settings(prefix.group(1), source.substring(source.indexOf("public record")))) {
                assertListed(yml, setting);
                settings++;
            }
        }
        assertThat(settings).as("settings found in the records").isGreaterThan(15);
    }

    @Test
    void callbackYmlListsEveryPushSettingWithItsDefault() throws IOException {
        String yml = Files.readString(DEB.resolve("callback/etc/callback.yml"));
        String source = Files.readString(PUSH.resolve("PushProperties.java"));
        Matcher record = Pattern.compile("public record (\\w+)\\(").matcher(source);
        int settings = 0;
        while (record.find()) {
            String prefix = PUSH_SECTIONS.get(record.group(1));
            assertThat(prefix).as("section of record " + record.group(1)).isNotNull();
            for (Setting setting : settings(prefix, source.substring(record.start()))) {
                if (PUSH_SECTIONS.values().stream().anyMatch(section -> section.startsWith(setting.key()))) {
                    continue; // a section (apns, fcm, webhook, the targets map), whose own record lists its settings
                }
                assertListed(yml, setting);
                settings++;
            }
        }
        assertThat(settings).as("settings found in PushProperties").isGreaterThan(15);
    }

    private static void assertListed(String yml, Setting setting) {
        assertThat(missing(yml, setting)).as("node.yml / callback.yml line for " + setting.key()).isEmpty();
    }

    /** The line the file lacks for the setting, or empty when it has it. */
    private static Optional<String> missing(String yml, Setting setting) {
        String line;
        if (SET_BY_THE_PACKAGE.contains(setting.key())) {
            line = "\n" + setting.key() + ": ";
        } else if (setting.defaultValue() == null) {
            line = "# " + setting.key() + ": ";
        } else {
            line = "# " + setting.key() + ": " + setting.defaultValue() + "\n";
        }
        return yml.contains(line) ? Optional.empty() : Optional.of(line.strip());
    }

    /** A setting: its full key and its default as written in YAML (null when the record declares none). */
    record Setting(String key, String defaultValue) {
    }

    /** The components of the record header at the start of {@code source} ("public record X(...)"). */
    static List<Setting> settings(String prefix, String source) {
        int open = source.indexOf('(');
        List<Setting> settings = new ArrayList<>();
        StringBuilder component = new StringBuilder();
        int depth = 0;
        for (int i = open + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') { // a string literal, copied whole: its commas and brackets are text
                int end = source.indexOf('"', i + 1);
                component.append(source, i, end + 1);
                i = end;
                continue;
            }
            if (depth == 0 && (c == ',' || c == ')')) {
                settings.add(setting(prefix, component.toString().strip()));
                component.setLength(0);
                if (c == ')') {
                    return settings;
                }
                continue;
            }
            depth += (c == '(' || c == '<' || c == '{') ? 1 : (c == ')' || c == '>' || c == '}') ? -1 : 0;
            component.append(c);
        }
        throw new IllegalArgumentException("no end of the record header");
    }

    private static Setting setting(String prefix, String component) {
        String name = component.substring(component.lastIndexOf(' ') + 1);
        String key = prefix + "." + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        Matcher value = Pattern.compile("@DefaultValue\\((\\{[^}]*}|\"[^\"]*\")\\)").matcher(component);
        if (!value.find()) {
            return new Setting(key, null);
        }
        List<String> values = Stream.of(value.group(1).replaceAll("^\\{|}$", "").split(","))
                .map(String::strip).map(v -> v.replaceAll("^\"|\"$", "")).toList();
        String yaml = String.join(",", values);
        return new Setting(key, yaml.isEmpty() ? "\"\"" : yaml);
    }
}
