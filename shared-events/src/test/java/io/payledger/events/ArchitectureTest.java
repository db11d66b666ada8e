package io.payledger.events;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** shared-events is a contract: records, value objects and pure functions, nothing that does I/O. */
@AnalyzeClasses(packages = "io.payledger.events", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theContractKnowsNoSpringPersistenceOrBroker = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                    "org.hibernate..", "java.sql..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule theOnlyAxonTypeInTheContractIsRevision = noClasses()
            .should().dependOnClassesThat(resideInAPackage("org.axonframework..")
                    .and(not(name("org.axonframework.serialization.Revision"))));

    @ArchTest
    static final ArchRule theContractDoesNoIo = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..");
}
