package io.tandem.backend;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tandem.backend.node.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/** Direction of dependencies inside a node. */
class ArchitectureTest {

    private static final JavaClasses BACKEND = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.backend");

    /**
     * Features depend on {@code redis}, never the reverse: of the node's own code, {@code redis} knows only itself
     * and the exception a node refuses bad configuration with.
     */
    @Test
    void theRedisFacadeKnowsNoFeature() {
        classes().that().resideInAPackage("io.tandem.backend.redis..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.tandem.backend..")
                        .or(resideInAPackage("io.tandem.backend.redis.."))
                        .or(type(InvalidConfigurationException.class)))
                .check(BACKEND);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.tandem.backend.(*)..").should().beFreeOfCycles().check(BACKEND);
    }

    /** The parts of the ACD layer one way: web on dispatch, dispatch on agents, queues and events. */
    @Test
    void acdPartsHaveNoCycles() {
        slices().matching("io.tandem.backend.acd.(*)..").should().beFreeOfCycles().check(BACKEND);
    }

    @Test
    void acdPartsBelowTheWebDoNotReachUp() {
        noClasses().that().resideInAnyPackage("io.tandem.backend.acd.queues..", "io.tandem.backend.acd.agents..",
                        "io.tandem.backend.acd.events..", "io.tandem.backend.acd.dispatch..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.backend.acd.web..")
                .check(BACKEND);
        noClasses().that().resideInAnyPackage("io.tandem.backend.acd.queues..", "io.tandem.backend.acd.agents..",
                        "io.tandem.backend.acd.events..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.backend.acd.dispatch..")
                .check(BACKEND);
    }

    @Test
    void featuresDoNotDependOnTheWebSecurityLayer() {
        noClasses().that().resideInAnyPackage("io.tandem.backend.directory..", "io.tandem.backend.cluster..",
                        "io.tandem.backend.cdr..", "io.tandem.backend.node..", "io.tandem.backend.redis..")
                .should().dependOnClassesThat().resideInAPackage("io.tandem.backend.api..")
                .check(BACKEND);
    }

    /** Features use the node's SIP parts (the outgoing branch, its signalling), never the other way. */
    @Test
    void theNodeKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.tandem.backend.node..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.backend.call..",
                        "io.tandem.backend.queuecall..", "io.tandem.backend.acd..", "io.tandem.backend.routing..",
                        "io.tandem.backend.registrar..", "io.tandem.backend.directory..")
                .check(BACKEND);
    }

    @Test
    void redisIsReachedThroughLettuceDirectlyNotSpringData() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.redis..")
                .check(BACKEND);
    }

    @Test
    void writesNothingToTheConsole() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(BACKEND);
    }
}
