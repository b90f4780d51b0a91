package io.tandem.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PhoneEnginesTest {

    @Test
    void namesParseInAnyCaseAndAnUnknownOneIsRefusedByName() {
        assertThat(EngineKind.parse("pjsua2")).isEqualTo(EngineKind.PJSUA2);
        assertThat(EngineKind.parse(" Java ")).isEqualTo(EngineKind.JAVA);
        assertThatThrownBy(() -> EngineKind.parse("baresip")).hasMessageContaining("baresip")
                .hasMessageContaining("pjsua2 or java");
    }

    @Test
    void theJavaEngineIsAlwaysThereWhenAskedFor() {
        assertThat(PhoneEngines.choose(EngineKind.JAVA).kind()).isEqualTo(EngineKind.JAVA);
    }

    @Test
    void theDefaultIsPjsua2WhereItRunsElseJava() {
        boolean pjsua2Runs = PhoneEngines.provider(EngineKind.PJSUA2)
                .map(p -> p.unavailableReason() == null).orElse(false);
        assertThat(PhoneEngines.choose(null).kind()).isEqualTo(pjsua2Runs ? EngineKind.PJSUA2 : EngineKind.JAVA);
    }

    @Test
    void askingForPjsua2WhereItCannotRunSaysWhy() {
        boolean pjsua2Runs = PhoneEngines.provider(EngineKind.PJSUA2)
                .map(p -> p.unavailableReason() == null).orElse(false);
        if (pjsua2Runs) {
            assertThat(PhoneEngines.choose(EngineKind.PJSUA2).kind()).isEqualTo(EngineKind.PJSUA2);
        } else {
            assertThatThrownBy(() -> PhoneEngines.choose(EngineKind.PJSUA2)).hasMessageContaining("pjsua2");
        }
    }
}
