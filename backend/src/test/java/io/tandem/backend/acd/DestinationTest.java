package io.tandem.backend.acd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.QueueSeeder;
import io.tandem.protocol.Protocol;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

/** Where callers leave a queue to: every kind readable from REST JSON and the YAML seed, bad ones named. */
class DestinationTest {

    private static final ObjectMapper JSON = Protocol.mapper();
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void theSeedAcceptsExtensionAndCallbackDestinations() throws Exception {
        QueueSeeder.SeedFile seed = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue("""
                        tenants:
                          acme:
                            queues:
                              - number: "7000"
                                name: support
                                strategy: longest-idle
                                maxWaitSeconds: 120
                                exitKey: "0"
                                exitDestination: {kind: callback}
                                overflow: {kind: extension, target: "1002", orCallback: true}
                                members: []
                        """, QueueSeeder.SeedFile.class);
        QueueDefinition queue = seed.tenants().get("acme").queues().get(0);
        assertThat(VALIDATOR.validate(queue)).isEmpty();
        assertThat(queue.overflow()).isEqualTo(new QueueDefinition.Destination("extension", "1002", true));
        assertThat(queue.exitDestination()).isEqualTo(new QueueDefinition.Destination("callback", ""));
    }

    @Test
    void theJsonFormKeepsTheTargetAndHidesTheCheck() throws Exception {
        String json = JSON.writeValueAsString(new QueueDefinition.Destination("queue", "7001"));
        assertThat(json).contains("\"target\":\"7001\"").contains("\"orCallback\":false")
                .doesNotContain("targetConsistent");
        assertThat(JSON.readValue(json, QueueDefinition.Destination.class))
                .isEqualTo(new QueueDefinition.Destination("queue", "7001"));
    }

    @Test
    void inconsistentDestinationsNameTheField() throws Exception {
        for (String bad : new String[] {"{\"kind\":\"extension\"}", "{\"kind\":\"queue\",\"target\":\"\"}",
                "{\"kind\":\"callback\",\"target\":\"1002\"}", "{\"kind\":\"queue\",\"target\":\"7001\",\"orCallback\":true}",
                "{\"kind\":\"extension\",\"target\":\"10 02\"}"}) {
            QueueDefinition queue = JSON.readValue("""
                    {"number":"7000","name":"x","strategy":"linear","members":[],"overflow":%s}""".formatted(bad),
                    QueueDefinition.class);
            assertThat(VALIDATOR.validate(queue)).as(bad).extracting(v -> v.getPropertyPath().toString())
                    .isNotEmpty().allMatch(path -> path.startsWith("overflow."));
        }
    }
}
