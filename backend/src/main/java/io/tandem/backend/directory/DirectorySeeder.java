package io.tandem.backend.directory;

import io.tandem.backend.node.InvalidConfigurationException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tandem.backend.node.DemoProperties;
import io.tandem.backend.redis.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the demo tenant and the users of the optional YAML seed file at start. Users that already exist are
 * left alone, so changes made through the API survive restarts and several nodes may seed concurrently.
 *
 * <p>Seed file shape:
 * <pre>
 * tenants:
 *   acme:
 *     users:
 *       - {extension: "2001", displayName: Alice, password: secret1, roles: [agent], skills: {sales: 50}}
 * </pre>
 */
@Component
@Order(0)
class DirectorySeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DirectorySeeder.class);

    /** The id the demo's configured API key is stored under. */
    static final String DEMO_API_KEY_ID = "demo";

    private final Directory directory;
    private final ApiKeys apiKeys;
    private final DemoProperties demo;
    private final DirectoryProperties properties;

    DirectorySeeder(Directory directory, ApiKeys apiKeys, DemoProperties demo, DirectoryProperties properties) {
        this.directory = directory;
        this.apiKeys = apiKeys;
        this.demo = demo;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (demo.enabled()) {
            seedDemo();
        }
        if (!properties.seedFile().isBlank()) {
            seedFile(Path.of(properties.seedFile()));
        }
    }

    private void seedDemo() {
        String tenant = demo.tenant();
        int created = 0;
        if (directory.create(tenant, demo.adminUser(), "Administrator", EnumSet.of(Role.ADMIN), demo.password(),
                Map.of())) {
            created++;
        }
        for (int ext = demo.firstExtension(); ext <= demo.lastExtension(); ext++) {
            if (directory.create(tenant, Integer.toString(ext), "Agent " + ext, EnumSet.of(Role.AGENT),
                    demo.password(), Map.of())) {
                created++;
            }
        }
        for (int id = demo.firstAppUser(); id <= demo.lastAppUser(); id++) {
            if (directory.createAppUser(tenant, Integer.toString(id), "App user " + id, demo.password())) {
                created++;
            }
        }
        apiKeys.install(tenant, DEMO_API_KEY_ID, "demo (tandem.demo.api-key)", demo.apiKey());
        log.info("demo tenant '{}': extensions {}-{}, admin '{}', app users {}-{} ({} created now, the rest already"
                + " existed) and the API key of tandem.demo.api-key", tenant, demo.firstExtension(),
                demo.lastExtension(), demo.adminUser(), demo.firstAppUser(), demo.lastAppUser(), created);
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record SeedFile(Map<String, SeedTenant> tenants) {
    }

    record SeedTenant(List<SeedUser> users) {
    }

    record SeedUser(String extension, String displayName, String password, List<String> roles,
            Map<String, Integer> skills) {
    }

    void seedFile(Path file) {
        SeedFile seed;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            seed = yaml.readValue(Files.readString(file), SeedFile.class);
        } catch (IOException e) {
            throw new InvalidConfigurationException("tandem.directory.seed-file", file + " cannot be read: "
                    + e.getMessage(), e);
        }
        if (seed == null || seed.tenants() == null) {
            return;
        }
        int created = 0;
        for (Map.Entry<String, SeedTenant> tenant : seed.tenants().entrySet()) {
            String name = tenant.getKey();
            if (!Keys.TENANT.matcher(name).matches()) {
                throw invalid(file, "tenant '" + name + "': must be lower-case letters, digits, '.' or '-'");
            }
            List<SeedUser> users = tenant.getValue() == null || tenant.getValue().users() == null
                    ? List.of() : tenant.getValue().users();
            for (SeedUser user : users) {
                String where = "tenant '" + name + "', user '" + user.extension() + "'";
                if (user.extension() == null || !Keys.EXTENSION.matcher(user.extension()).matches()) {
                    throw invalid(file, where + ": extension must be letters, digits, '.', '_' or '-'");
                }
                if (user.password() == null || user.password().length() < 6) {
                    throw invalid(file, where + ": password of at least 6 characters required");
                }
                Set<Role> roles = EnumSet.noneOf(Role.class);
                try {
                    (user.roles() == null ? List.of("agent") : user.roles()).forEach(r -> roles.add(Role.fromWire(r)));
                } catch (IllegalArgumentException e) {
                    throw invalid(file, where + ": " + e.getMessage());
                }
                String display = user.displayName() == null ? user.extension() : user.displayName();
                if (directory.create(name, user.extension(), display, roles, user.password(),
                        user.skills() == null ? Map.of() : user.skills())) {
                    created++;
                }
            }
        }
        log.info("seed file {}: {} users created, existing users left unchanged", file, created);
    }

    private static InvalidConfigurationException invalid(Path file, String what) {
        return new InvalidConfigurationException("tandem.directory.seed-file", file + ": " + what);
    }
}
