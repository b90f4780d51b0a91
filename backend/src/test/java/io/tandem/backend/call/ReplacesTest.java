package io.tandem.backend.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3891 §6.1 Replaces values, as they come out of an unescaped Refer-To header. */
class ReplacesTest {

    @Test
    void aValueNamesItsDialogByCallIdAndBothTags() {
        assertThat(Replaces.parse("98asjd8@test.example.com;to-tag=12345;from-tag=4321 ;early-only"))
                .contains(new Replaces("98asjd8@test.example.com", "12345", "4321", true));
        assertThat(Replaces.parse("a@b;from-tag=2;to-tag=1")).contains(new Replaces("a@b", "1", "2", false));
    }

    @Test
    void aValueWithoutBothTagsNamesNothing() {
        assertThat(Replaces.parse("a@b;to-tag=1")).isEmpty();
        assertThat(Replaces.parse(";to-tag=1;from-tag=2")).isEmpty();
        assertThat(Replaces.parse(null)).isEmpty();
    }

    /** What a node forwards over the trunk names the same dialog on the node that holds it. */
    @Test
    void theValueAForwardedRequestCarriesParsesBackToTheSameDialog() {
        Replaces named = new Replaces("98asjd8@test.example.com", "12345", "4321", false);
        assertThat(Replaces.parse(named.value())).contains(named);
        Replaces early = new Replaces("a@b", "1", "2", true);
        assertThat(Replaces.parse(early.value())).contains(early);
    }
}
