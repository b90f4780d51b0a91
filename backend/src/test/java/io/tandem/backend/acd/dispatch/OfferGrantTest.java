package io.tandem.backend.acd.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferGrantTest {

    @Test
    void theWireFormCarriesEverythingThePlacingNodeNeeds() {
        OfferGrant grant = new OfferGrant("offer-1", "demo", "7000", "call-1", "n2",
                Instant.ofEpochMilli(1_765_101_234_567L),
                List.of(new OfferGrant.Reservation("2001", 7, "n1", List.of("{\"contact\":\"sip:2001@h\"}"))));

        OfferGrant back = OfferGrant.fromWire(grant.toWire());

        assertThat(back).isEqualTo(new OfferGrant("offer-1", "demo", "7000", "call-1", "n2",
                Instant.ofEpochMilli(1_765_101_234_567L), grant.agents(), true));
    }

    @Test
    void readsTheScriptsFormWithAnEmptyTableForNoContacts() {
        // cjson encodes an empty Lua table as {}: an agent without bindings
        OfferGrant back = OfferGrant.fromWire("{\"offerId\":\"o\",\"tenant\":\"demo\",\"queue\":\"7000\","
                + "\"callId\":\"c\",\"callerNode\":\"n2\",\"leaseUntil\":1765101234567,"
                + "\"agents\":[{\"agentId\":\"2001\",\"version\":3,\"node\":\"n1\",\"contacts\":{}}]}");

        assertThat(back.leaseUntil()).isEqualTo(Instant.ofEpochMilli(1_765_101_234_567L));
        assertThat(back.agents()).containsExactly(new OfferGrant.Reservation("2001", 3, "n1", List.of()));
    }
}
