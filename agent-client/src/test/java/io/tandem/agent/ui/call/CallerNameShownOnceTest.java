package io.tandem.agent.ui.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A real node sends a caller without a name with the number as the name (From display name): shown once. */
class CallerNameShownOnceTest {

    @Test
    void aNameThatIsTheNumberIsNotRepeated() {
        CallViewModel vm = new CallViewModel(Clock.systemUTC());
        vm.show(new CallViewModelTest.ScriptedCall(), "1010", "1010", "support");
        assertThat(vm.remoteProperty().get()).isEqualTo("1010");
        assertThat(vm.remoteNameProperty().get()).isEmpty();
        vm.show(new CallViewModelTest.ScriptedCall(), "1010", "Anna Example", "support");
        assertThat(vm.remoteNameProperty().get()).isEqualTo("Anna Example");
    }
}
