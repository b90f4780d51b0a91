package io.tandem.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Direction of dependencies inside a node. */
class ArchitectureTest {

    private static final JavaClasses BACKEND = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.backend");

    @Test
    void theRedisFacadeKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.tandem.backend.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tandem.backend.directory..",
                        "io.tandem.backend.cluster..", "io.tandem.backend.cdr..", "io.tandem.backend.api..")
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
