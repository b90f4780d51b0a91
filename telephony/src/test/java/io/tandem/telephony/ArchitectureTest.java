package io.tandem.telephony;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The media library stays pure: no Spring, no Redis, no log4j 1.x, no console output. */
class ArchitectureTest {
    private static final JavaClasses TELEPHONY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tandem.telephony");

    @Test
    void telephonyDependsOnNeitherSpringNorRedis() {
        noClasses().that().resideInAPackage("io.tandem.telephony..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "io.lettuce..", "redis..", "io.tandem.backend..")
                .because("telephony is the pure media library (ARCHITECTURE.md, CONVENTIONS.md)")
                .check(TELEPHONY);
    }

    @Test
    void logsThroughSlf4jOnly() {
        noClasses().that().resideInAPackage("io.tandem.telephony..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.log4j..", "java.util.logging..")
                .check(TELEPHONY);
    }

    @Test
    void writesNothingToTheConsole() {
        noClasses().that().resideInAPackage("io.tandem.telephony..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(TELEPHONY);
    }
}
