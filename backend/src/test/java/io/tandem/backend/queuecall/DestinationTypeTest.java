package io.tandem.backend.queuecall;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.acd.queues.QueueDefinition;
import org.junit.jupiter.api.Test;

/** A queue definition's destination read once as a type, and written back to the queue log as the wire spells it. */
class DestinationTypeTest {

    @Test
    void everyKindBecomesItsType() {
        assertThat(Destination.of(new QueueDefinition.Destination("queue", "7001")))
                .isEqualTo(new Destination.Queue("7001"));
        assertThat(Destination.of(new QueueDefinition.Destination("extension", "1002", true)))
                .isEqualTo(new Destination.Extension("1002", true));
        assertThat(Destination.of(new QueueDefinition.Destination("callback", "")))
                .isEqualTo(new Destination.Callback());
        assertThat(Destination.of(QueueDefinition.Destination.NONE)).isEqualTo(new Destination.Nowhere());
    }

    @Test
    void theQueueLogNamesItAsTheDefinitionDoes() {
        for (QueueDefinition.Destination definition : new QueueDefinition.Destination[] {
                new QueueDefinition.Destination("queue", "7001"),
                new QueueDefinition.Destination("extension", "1002", true),
                new QueueDefinition.Destination("callback", ""), QueueDefinition.Destination.NONE}) {
            String wire = definition.target().isEmpty() ? definition.kind()
                    : definition.kind() + ":" + definition.target();
            assertThat(Destination.of(definition).wire()).isEqualTo(wire);
        }
    }
}
