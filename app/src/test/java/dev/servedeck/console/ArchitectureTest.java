package dev.servedeck.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The console's MVVM shape (DESIGN.md), as rules the build enforces. */
@AnalyzeClasses(packages = "dev.servedeck.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule viewModelsHaveNoToolkitImports = noClasses()
            .that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.fxml..",
                    "javafx.embed..", "org.jfree..", "java.awt..")
            .because("ViewModels hold state and decide; they are tested with plain JUnit, without a toolkit");

    @ArchTest
    static final ArchRule onlyTheEmbeddedBackendCallsTheServer = noClasses()
            .that().resideOutsideOfPackage("dev.servedeck.console.backend.embedded..")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.servedeck.core.ServerCore")
            .orShould().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.server..",
                    "dev.servedeck.core.rest..", "dev.servedeck.core.grpc..", "dev.servedeck.core.lifecycle..",
                    "dev.servedeck.core.tensorflow..", "org.tensorflow..")
            .because("the ConsoleBackend port is the console's only way to the server, so a remote backend can replace it");

    @ArchTest
    static final ArchRule onlyBackendsSpeakTheWire = noClasses()
            .that().resideOutsideOfPackage("dev.servedeck.console.backend..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.proto..", "io.grpc..")
            .because("the pages read the console's own records; the admin API's and TF Serving's messages are the"
                    + " backends' business (the remote one speaks them, the load targets build a PredictRequest)");

    @ArchTest
    static final ArchRule theConsoleNeverTouchesTheLifecycle = noClasses()
            .should().dependOnClassesThat().resideInAPackage("dev.servedeck.core.lifecycle..")
            .because("the lifecycle is internal to the core: the embedded backend reads states through "
                    + "ModelStates and changes models through ModelAdministration, as a remote backend will over the "
                    + "admin API");

    @ArchTest
    static final ArchRule viewsTalkToViewModelsNotToTheBackend = noClasses()
            .that().haveSimpleNameEndingWith("View")
            .should().dependOnClassesThat().haveSimpleName("ConsoleBackend")
            .because("views bind to their ViewModel and delegate; deciding is the ViewModel's job");

    @ArchTest
    static final ArchRule backendPortIsToolkitFree = noClasses()
            .that().resideInAPackage("dev.servedeck.console.backend..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("the backend runs off the FX thread and must work without a toolkit");

    @ArchTest
    static final ArchRule noPrintingToStandardOut = noClasses()
            .that().doNotHaveSimpleName("ConsoleMain")
            .should().accessField(System.class, "out")
            .because("logs go through SLF4J");

    @ArchTest
    static final ArchRule fxmlControllersAreViews = classes()
            .that().resideInAPackage("dev.servedeck.console..").and().haveSimpleNameEndingWith("View")
            .should().bePublic()
            .because("FXMLLoader's controller factory instantiates them by class");
}
