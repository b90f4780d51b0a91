package io.tandem.backend.acd.queues;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.node.DemoProperties;
import io.tandem.backend.node.InvalidConfigurationException;
import io.tandem.backend.redis.Keys;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Creates the demo queues (7000 "support", longest-idle; 7001 "sales", round-robin; the demo agents as members;
 * 7002 "app support", which parks callers for the callback service when none of its members 1011-1015 is available) and
 * the queues of the optional YAML seed after the directory is seeded. Existing queues are left alone, so changes
 * made through the API survive restarts and several nodes may seed at once.
 *
 * <p>Seed file shape (fields as in {@link QueueDefinition}):
 * <pre>
 * tenants:
 *   acme:
 *     queues:
 *       - {number: "8000", name: billing, strategy: fewest-calls, members: [{agent: "2001", tier: 1, penalty: 0}]}
 * </pre>
 */
@Component
@Order(1)
public class QueueSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(QueueSeeder.class);

    private final Queues queues;
    private final DemoProperties demo;
    private final AcdProperties properties;
    private final Validator validator;

    QueueSeeder(Queues queues, DemoProperties demo, AcdProperties properties, Validator validator) {
        this.queues = queues;
        this.demo = demo;
        this.properties = properties;
        this.validator = validator;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record SeedFile(Map<String, SeedTenant> tenants) {
    }

    public record SeedTenant(List<QueueDefinition> queues) {
    }

    @Override
    public void run(ApplicationArguments args) {
        if (demo.enabled() && properties.demoQueues()) {
            List<QueueDefinition.Member> members = new ArrayList<>();
            for (int ext = demo.firstExtension(); ext <= demo.lastExtension(); ext++) {
                members.add(QueueDefinition.Member.of(Integer.toString(ext)));
            }
            queues.save(demo.tenant(), QueueDefinition.standard("7000", "support", Strategy.LONGEST_IDLE, members),
                    true);
            queues.save(demo.tenant(), QueueDefinition.standard("7001", "sales", Strategy.ROUND_ROBIN, members), true);
            queues.save(demo.tenant(), appSupport(), true);
            log.info("demo tenant '{}': queues 7000 support, 7001 sales and 7002 app support (parks)", demo.tenant());
        }
        if (!properties.seedFile().isBlank()) {
            seedFile(Path.of(properties.seedFile()));
        }
    }

    /**
     * 7002 "app support": app callers nobody can take at once are parked in a room (music, 90 s) while the callback
     * service wakes the members 1011-1015 (those of the demo's extensions that exist).
     */
    private QueueDefinition appSupport() {
        List<QueueDefinition.Member> members = new ArrayList<>();
        for (int ext = Math.max(1011, demo.firstExtension()); ext <= Math.min(1015, demo.lastExtension()); ext++) {
            members.add(QueueDefinition.Member.of(Integer.toString(ext)));
        }
        return QueueDefinition.standard("7002", "app support", Strategy.LONGEST_IDLE, members)
                .withPark(QueueDefinition.Park.onNoAgent());
    }

    void seedFile(Path file) {
        SeedFile seed;
        try {
            seed = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readString(file), SeedFile.class);
        } catch (IOException e) {
            throw new InvalidConfigurationException("tandem.acd.seed-file", file + " cannot be read: "
                    + e.getMessage(), e);
        }
        if (seed == null || seed.tenants() == null) {
            return;
        }
        int created = 0;
        for (Map.Entry<String, SeedTenant> tenant : seed.tenants().entrySet()) {
            if (!Keys.TENANT.matcher(tenant.getKey()).matches()) {
                throw invalid(file, "tenant '" + tenant.getKey() + "': must be lower-case letters, digits, '.' or '-'");
            }
            List<QueueDefinition> list = tenant.getValue() == null || tenant.getValue().queues() == null
                    ? List.of() : tenant.getValue().queues();
            for (QueueDefinition queue : list) {
                Set<ConstraintViolation<QueueDefinition>> violations = validator.validate(queue);
                if (!violations.isEmpty()) {
                    ConstraintViolation<QueueDefinition> first = violations.iterator().next();
                    throw invalid(file, "tenant '" + tenant.getKey() + "', queue '" + queue.number() + "': "
                            + first.getPropertyPath() + " " + first.getMessage());
                }
                if (queues.save(tenant.getKey(), queue, true) == Queues.Saved.CREATED) {
                    created++;
                }
            }
        }
        log.info("queue seed file {}: {} queues created, existing queues left unchanged", file, created);
    }

    private static InvalidConfigurationException invalid(Path file, String what) {
        return new InvalidConfigurationException("tandem.acd.seed-file", file + ": " + what);
    }
}
