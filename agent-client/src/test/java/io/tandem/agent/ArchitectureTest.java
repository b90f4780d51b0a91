package io.tandem.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine, audio, API client and session know nothing of JavaFX, so the headless phone runs the same code. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tandem.agent");

    @Test
    void onlyTheUiUsesJavaFx() {
        noClasses().that().resideInAnyPackage("io.tandem.agent.engine..", "io.tandem.agent.audio..",
                        "io.tandem.agent.api..", "io.tandem.agent.session..", "io.tandem.agent.headless..",
                        "io.tandem.agent.settings..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(CLASSES);
    }

    @Test
    void theSessionAndEngineDoNotReachIntoTheUi() {
        noClasses().that().resideOutsideOfPackages("io.tandem.agent.ui..", "io.tandem.agent")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.agent.ui..")
                .check(CLASSES);
    }

    @Test
    void onlyThePjsua2EngineTouchesPjsip() {
        // PJSIP's SWIG classes need a registered thread and explicit delete(): one package handles them.
        noClasses().that().resideOutsideOfPackage("io.tandem.agent.engine.pjsua2..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pjsip..")
                .check(CLASSES);
    }

    @Test
    void viewModelsDoNotBuildControls() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..")
                .check(CLASSES);
    }
}
