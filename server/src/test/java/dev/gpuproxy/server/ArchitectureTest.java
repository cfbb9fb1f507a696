package dev.gpuproxy.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package order of the server, lowest first (README, "Architecture"). A package may use the packages on lower
 * levels, never one on its own level or above; what a lower package must tell a higher one travels as a CDI event
 * (e.g. credit and gpu fire, stream observes) or through a port the lower package defines (gpu's GpuTimeBilling,
 * implemented in billing).
 */
class ArchitectureTest {

    private static final String ROOT = "dev.gpuproxy.server";

    /** Lowest first; packages on one level are peers and do not use each other. */
    static final List<List<String>> LEVELS = List.of(
            List.of("config"),
            List.of("common"),
            List.of("cluster"),
            List.of("identity"),
            List.of("ratelimit"),
            List.of("credit"),
            List.of("lb"),
            List.of("gpu"),
            List.of("stream", "autopilot"),
            List.of("gateway", "billing", "health"),
            List.of("admin"));

    /** Inside identity, lowest first. */
    static final List<List<String>> IDENTITY_LEVELS = List.of(
            List.of("account", "session"),
            List.of("auth"));

    /**
     * Inside gateway, lowest first: metering counts, admission lets in and holds credit, proxy forwards to a backend,
     * route is the HTTP door, grpc the Open Inference gRPC door (it reuses route's validator). Types every part
     * shares (the caller, error writers) live in gateway itself, below them all ({@link #GATEWAY_BASE}).
     */
    static final List<List<String>> GATEWAY_LEVELS = List.of(
            List.of("metering"),
            List.of("admission"),
            List.of("proxy"),
            List.of("route"),
            List.of("grpc"));

    static final String GATEWAY_BASE = ROOT + ".gateway";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void identityPartsHaveNoCycles() {
        slices().matching(ROOT + ".identity.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void gatewayPartsHaveNoCycles() {
        slices().matching(GATEWAY_BASE + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void gatewayPartsUseOnlyLowerLevels() {
        layers(GATEWAY_BASE, GATEWAY_LEVELS).check(classes);
    }

    /** gateway's own package is the shared base: it never reaches up into its parts. */
    @Test
    void gatewayBaseUsesNoGatewayPart() {
        noClasses().that().resideInAPackage(GATEWAY_BASE)
                .should().dependOnClassesThat().resideInAPackage(GATEWAY_BASE + ".*..")
                .check(classes);
    }

    @Test
    void featurePackagesUseOnlyLowerLevels() {
        layers(ROOT, LEVELS).check(classes);
    }

    @Test
    void identityPartsUseOnlyLowerLevels() {
        layers(ROOT + ".identity", IDENTITY_LEVELS).check(classes);
    }

    /** GpuTimeBilling is gpu's port: the credits side implements it, gpu never reaches for the ledger itself. */
    @Test
    void gpuReachesCreditsOnlyThroughItsPort() {
        noClasses().that().resideInAPackage(ROOT + ".gpu..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".credit..")
                .check(classes);
    }

    /** A REST resource is an entry point; what others need from it (a DTO) lives in a file of its own. */
    @Test
    void resourcesAreUsedOnlyInTheirOwnPackage() {
        classes().that().haveSimpleNameEndingWith("Resource")
                .should(beUsedOnlyInTheirOwnPackage())
                .check(classes);
    }

    private static LayeredArchitecture layers(String root, List<List<String>> levels) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
        for (List<String> level : levels) {
            for (String name : level) {
                rule = rule.layer(name).definedBy(root + "." + name + "..");
            }
        }
        for (int i = 0; i < levels.size(); i++) {
            List<String> above = new ArrayList<>();
            levels.subList(i + 1, levels.size()).forEach(above::addAll);
            for (String name : levels.get(i)) {
                rule = above.isEmpty()
                        ? rule.whereLayer(name).mayNotBeAccessedByAnyLayer()
                        : rule.whereLayer(name).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        return rule;
    }

    /** Counts the resource class and the types nested in it. */
    private static ArchCondition<JavaClass> beUsedOnlyInTheirOwnPackage() {
        return new ArchCondition<>("be used only by classes of their own package") {
            @Override
            public void check(JavaClass resource, ConditionEvents events) {
                for (JavaClass type : classes) {
                    boolean partOfResource = type.equals(resource)
                            || type.getName().startsWith(resource.getName() + "$");
                    if (!partOfResource) {
                        continue;
                    }
                    for (Dependency dependency : type.getDirectDependenciesToSelf()) {
                        JavaClass user = dependency.getOriginClass();
                        if (!user.getPackageName().equals(resource.getPackageName())) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            }
        };
    }
}
