package io.tandem.callback;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The direction of dependencies inside the callback service, and what it must never touch. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tandem.callback");
    }

    @Test
    void thePushCoreDoesNotKnowItsProviders() {
        noClasses().that().resideInAPackage("io.tandem.callback.push")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.tandem.callback.push.apns..", "io.tandem.callback.push.fcm..",
                        "io.tandem.callback.push.webhook..", "io.tandem.callback.push.websocket..")
                .check(classes);
    }

    @Test
    void providersDoNotDependOnEachOther() {
        slices().matching("io.tandem.callback.push.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void eachProviderLibraryStaysInItsProvider() {
        noClasses().that().resideOutsideOfPackage("io.tandem.callback.push.apns..")
                .should().dependOnClassesThat().resideInAPackage("com.eatthepath..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("io.tandem.callback.push.fcm..")
                .should().dependOnClassesThat().resideInAPackage("com.google.auth..")
                .check(classes);
    }

    @Test
    void theServiceTalksToTheNodesOnlyThroughRedisAndTheProtocol() {
        // Architecture decision 9: no node code in the service; the contract is protocol.callback.
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.tandem.backend..")
                .check(classes);
    }

    @Test
    void theTicketsDoNotKnowTheRooms() {
        noClasses().that().resideInAPackage("io.tandem.callback.ticket..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.callback.room..")
                .check(classes);
    }

    @Test
    void theServiceNeverTouchesSipOrMedia() {
        // Architecture decision 9: it commands nodes through Redis; SIP and RTP stay in the nodes.
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.tandem.telephony..", "javax.sip..",
                        "gov.nist..")
                .check(classes);
    }
}
