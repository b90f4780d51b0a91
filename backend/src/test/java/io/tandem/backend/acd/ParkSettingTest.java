package io.tandem.backend.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.api.EnumValues;
import io.tandem.backend.acd.queues.QueueSeeder;
import io.tandem.protocol.Protocol;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

/** A queue's park setting: its defaults, read from the YAML seed and REST JSON, out-of-range values named. */
class ParkSettingTest {

    private static final ObjectMapper JSON = Protocol.mapper();
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void aQueueWithoutAParkSettingDoesNotPark() throws Exception {
        QueueDefinition queue = JSON.readValue("""
                {"number":"7000","name":"x","strategy":"linear","members":[]}""", QueueDefinition.class);
        assertThat(queue.park()).isEqualTo(QueueDefinition.Park.OFF);
        assertThat(queue.park().enabled()).isFalse();
    }

    @Test
    void theSeedTurnsParkingOnWithTheDefaultsFilledIn() throws Exception {
        QueueSeeder.SeedFile seed = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue("""
                        tenants:
                          acme:
                            queues:
                              - number: "7002"
                                name: app support
                                strategy: longest-idle
                                park: {enabled: true}
                                members: [{agent: "1011"}]
                        """, QueueSeeder.SeedFile.class);
        QueueDefinition queue = seed.tenants().get("acme").queues().get(0);
        assertThat(VALIDATOR.validate(queue)).isEmpty();
        assertThat(queue.park()).isEqualTo(new QueueDefinition.Park(true, true, false, 0, 90));
    }

    @Test
    void theJsonFormRoundTrips() throws Exception {
        QueueDefinition.Park park = new QueueDefinition.Park(true, false, true, 45, 120);
        String json = JSON.writeValueAsString(park);
        assertThat(json).contains("\"whenNoAgent\":false").contains("\"onExitKey\":true")
                .contains("\"timeoutSeconds\":120");
        assertThat(JSON.readValue(json, QueueDefinition.Park.class)).isEqualTo(park);
    }

    @Test
    void aTicketOnAbandonIsOffUnlessTheQueueSaysSo() throws Exception {
        QueueDefinition.Park off = JSON.readValue("""
                {"enabled":true}""", QueueDefinition.Park.class);
        assertThat(off.ticketOnAbandon()).isFalse();
        QueueDefinition.Park on = JSON.readValue("""
                {"enabled":true,"ticketOnAbandon":true}""", QueueDefinition.Park.class);
        assertThat(on.ticketOnAbandon()).isTrue();
        assertThat(JSON.readValue(JSON.writeValueAsString(on), QueueDefinition.Park.class)).isEqualTo(on);
    }

    @Test
    void outOfRangeTimesNameTheField() throws Exception {
        QueueDefinition queue = JSON.readValue("""
                {"number":"7000","name":"x","strategy":"linear","members":[],
                 "park":{"enabled":true,"afterSeconds":-1,"timeoutSeconds":7200}}""", QueueDefinition.class);
        assertThat(VALIDATOR.validate(queue)).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("park.afterSeconds", "park.timeoutSeconds");
    }

    @Test
    void aQueueWakesEveryoneAtOnceUnlessItSaysTiers() throws Exception {
        QueueDefinition.Park plain = JSON.readValue("""
                {"enabled":true}""", QueueDefinition.Park.class);
        assertThat(plain.wake()).isEqualTo(QueueDefinition.Park.Wake.ALL);
        assertThat(plain.wakeTierDelaySeconds()).isEqualTo(20);
        QueueDefinition.Park tiers = JSON.readValue("""
                {"enabled":true,"wake":"tiers","wakeTierDelaySeconds":45}""", QueueDefinition.Park.class);
        assertThat(tiers.wake()).isEqualTo(QueueDefinition.Park.Wake.TIERS);
        assertThat(tiers.wakeTierDelaySeconds()).isEqualTo(45);
        String json = JSON.writeValueAsString(tiers);
        assertThat(json).contains("\"wake\":\"tiers\"").contains("\"wakeTierDelaySeconds\":45");
        assertThat(JSON.readValue(json, QueueDefinition.Park.class)).isEqualTo(tiers);
    }

    @Test
    void anUnknownWakeOrAnOutOfRangeTierDelayNamesTheField() throws Exception {
        assertThatThrownBy(() -> JSON.readValue("""
                {"enabled":true,"wake":"round-robin"}""", QueueDefinition.Park.class))
                .isInstanceOfSatisfying(InvalidFormatException.class, e -> {
                    assertThat(e.getPath()).extracting(JsonMappingException.Reference::getFieldName)
                            .containsExactly("wake");
                    assertThat(EnumValues.wireNames(e.getTargetType())).containsExactly("all", "tiers");
                });
        QueueDefinition queue = JSON.readValue("""
                {"number":"7000","name":"x","strategy":"linear","members":[],
                 "park":{"enabled":true,"wake":"tiers","wakeTierDelaySeconds":7200}}""", QueueDefinition.class);
        assertThat(VALIDATOR.validate(queue)).extracting(v -> v.getPropertyPath().toString())
                .containsExactly("park.wakeTierDelaySeconds");
    }
}
