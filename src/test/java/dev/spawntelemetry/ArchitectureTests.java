package dev.spawntelemetry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph stays acyclic and readable:
 *
 * <pre>
 * spawn ─► routing ─► telemetry ◄─ store (file, postgres)
 * stats ───────────────► telemetry
 * spawn, stats, routing, telemetry, store ─► web      security ─► web
 * </pre>
 */
class ArchitectureTests {

	static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.spawntelemetry");

	@Test
	void topLevelPackagesFormNoCycle() {
		slices().matching("dev.spawntelemetry.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void webKnowsNoFeaturePackage() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.spawntelemetry.telemetry..", "dev.spawntelemetry.spawn..",
					"dev.spawntelemetry.stats..", "dev.spawntelemetry.routing..", "dev.spawntelemetry.store..",
					"dev.spawntelemetry.security..")
			.check(classes);
	}

	@Test
	void theDomainKnowsNoFeatureAndNoBackend() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.telemetry..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.spawntelemetry.spawn..", "dev.spawntelemetry.stats..",
					"dev.spawntelemetry.routing..", "dev.spawntelemetry.store..", "dev.spawntelemetry.security..")
			.check(classes);
	}

	@Test
	void nothingOutsideABackendKnowsWhichBackendRuns() {
		noClasses().that()
			.resideOutsideOfPackage("dev.spawntelemetry.store..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.spawntelemetry.store..")
			.check(classes);
	}

	@Test
	void backendsKnowNoFeature() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.store..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.spawntelemetry.spawn..", "dev.spawntelemetry.stats..",
					"dev.spawntelemetry.routing..", "dev.spawntelemetry.security..")
			.check(classes);
	}

}
