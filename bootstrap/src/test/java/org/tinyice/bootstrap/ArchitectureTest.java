package org.tinyice.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hexagon's dependency rules. ArchUnit's JUnit integration is not served for JUnit 6, so the
 * core library is used from plain tests. The bootstrap module is the only one that sees every class.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tinyice");
    }

    @Test
    void domainDependsOnNothingButTheJdk() {
        classes().that().resideInAPackage("org.tinyice.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.tinyice.domain..", "java..")
                .check(classes);
    }

    @Test
    void applicationDependsOnlyOnTheDomainAndTheJdk() {
        classes().that().resideInAPackage("org.tinyice.application..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("org.tinyice.application..", "org.tinyice.domain..", "java..")
                .check(classes);
    }

    @Test
    void theApplicationsCapabilitiesHaveNoCycles() {
        // access, admin, config, configuration, history, port, status, stream: each a folder of its own
        slices().matching("org.tinyice.application.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void adaptersUseOnlyThePortsAndTheConfigurationModel() {
        classes().that().resideInAPackage("org.tinyice.adapters..")
                .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                        "are outside the application, or in its ports or its configuration model",
                        (JavaClass c) -> !c.getPackageName().startsWith("org.tinyice.application")
                                || c.getPackageName().startsWith("org.tinyice.application.port.")
                                || c.getPackageName().equals("org.tinyice.application.config")))
                .check(classes);
    }

    @Test
    void adaptersNeverDependOnEachOther() {
        noClasses().that().resideInAPackage("org.tinyice.adapters.http..")
                .should().dependOnClassesThat().resideInAPackage("org.tinyice.adapters.persistence..")
                .check(classes);
        noClasses().that().resideInAPackage("org.tinyice.adapters.persistence..")
                .should().dependOnClassesThat().resideInAPackage("org.tinyice.adapters.http..")
                .check(classes);
    }

    @Test
    void nothingButBootstrapKnowsTheBootstrap() {
        noClasses().that().resideOutsideOfPackage("org.tinyice.bootstrap..")
                .should().dependOnClassesThat().resideInAPackage("org.tinyice.bootstrap..")
                .check(classes);
    }

    @Test
    void onlyBootstrapUsesDependencyInjection() {
        noClasses().that().resideOutsideOfPackage("org.tinyice.bootstrap..")
                .should().dependOnClassesThat().resideInAnyPackage("io.avaje..", "jakarta.inject..", "javax.inject..")
                .check(classes);
    }

    @Test
    void theCoreKnowsNoFramework() {
        noClasses().that().resideInAnyPackage("org.tinyice.domain..", "org.tinyice.application..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.helidon..", "org.jdbi..", "org.bouncycastle..", "org.sqlite..")
                .check(classes);
    }
}
