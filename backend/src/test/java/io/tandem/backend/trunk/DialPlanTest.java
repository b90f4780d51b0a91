package io.tandem.backend.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.trunk.DialPlan.OutsideNumber;
import org.junit.jupiter.api.Test;

/** How numbers are told outside and how far they are, and who may call them. */
class DialPlanTest {

    /** Berlin, Germany: outside prefix 0, national 0, international 00. */
    private static final DialPlan BERLIN = new DialPlan("49", "30", "0", "00", "0");

    @Test
    void aSubscriberNumberAfterTheOutsidePrefixIsLocal() {
        assertThat(BERLIN.classify("01234567")).contains(new OutsideNumber("01234567", "+49301234567",
                DialPermission.LOCAL));
    }

    @Test
    void theNationalPrefixStartsAnAreaCode() {
        assertThat(BERLIN.classify("0089123456")).contains(new OutsideNumber("0089123456", "+4989123456",
                DialPermission.NATIONAL));
        assertThat(BERLIN.classify("0030123456")).as("the tenant's own area code dialled in full is local")
                .contains(new OutsideNumber("0030123456", "+4930123456", DialPermission.LOCAL));
    }

    @Test
    void theInternationalPrefixIsReadBeforeTheNationalOneItStartsWith() {
        assertThat(BERLIN.classify("000442071234567")).contains(new OutsideNumber("000442071234567",
                "+442071234567", DialPermission.INTERNATIONAL));
        assertThat(BERLIN.classify("000491711234567")).as("our own country dialled internationally")
                .contains(new OutsideNumber("000491711234567", "+491711234567", DialPermission.NATIONAL));
    }

    @Test
    void e164NeedsNoPrefix() {
        assertThat(BERLIN.classify("+12125550100")).contains(new OutsideNumber("+12125550100", "+12125550100",
                DialPermission.INTERNATIONAL));
        assertThat(BERLIN.classify("+4930555000")).map(OutsideNumber::reach).contains(DialPermission.LOCAL);
    }

    @Test
    void extensionsAndJunkAreNoOutsideNumbers() {
        assertThat(BERLIN.classify("1001")).isEmpty();
        assertThat(BERLIN.classify("0")).as("the outside prefix alone").isEmpty();
        assertThat(BERLIN.classify("012")).as("too short after the prefix").isEmpty();
        assertThat(BERLIN.classify("0123a45")).isEmpty();
        assertThat(BERLIN.classify("+0123456")).as("no country code starts with 0").isEmpty();
        assertThat(BERLIN.classify(null)).isEmpty();
    }

    @Test
    void withoutAPlanOnlyE164GoesOutAndAllOfItIsInternational() {
        assertThat(DialPlan.NONE.classify("01234567")).isEmpty();
        assertThat(DialPlan.NONE.classify("+4930555000")).map(OutsideNumber::reach)
                .contains(DialPermission.INTERNATIONAL);
    }

    @Test
    void aPermissionCoversItsClassAndTheNearerOnes() {
        assertThat(DialPermission.INTERNATIONAL.covers(DialPermission.LOCAL)).isTrue();
        assertThat(DialPermission.NATIONAL.covers(DialPermission.NATIONAL)).isTrue();
        assertThat(DialPermission.NATIONAL.covers(DialPermission.INTERNATIONAL)).isFalse();
        assertThat(DialPermission.LOCAL.covers(DialPermission.NATIONAL)).isFalse();
        assertThat(DialPermission.NONE.covers(DialPermission.LOCAL)).isFalse();
    }
}
