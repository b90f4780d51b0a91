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
