package io.payledger.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.payledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule thePaymentDomainKnowsNothingOfWebOrSql = noClasses()
            .that().resideInAPackage("io.payledger.command.payment")
            .and().doNotHaveSimpleName("JdbcMerchantReferences")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                    "jakarta.servlet..", "java.sql..", "org.springframework.jdbc..");

    @ArchTest
    static final ArchRule theServiceDoesNotReachIntoTestSupportOrOtherServices = noClasses()
            .that().resideInAPackage("io.payledger.command..")
            .should().dependOnClassesThat().resideInAnyPackage("io.payledger.localstack..", "io.payledger.saga..",
                    "io.payledger.query..");

    @ArchTest
    static final ArchRule refusalsMapToHttpOnlyInTheWebLayer = noClasses()
            .that().resideOutsideOfPackages("io.payledger.command.web..", "io.payledger.command.payment.web..",
                    "io.payledger.command.audit.web..",
                    "io.payledger.command.security..", "io.payledger.command.idempotency..",
                    "io.payledger.security..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.http..");
}
