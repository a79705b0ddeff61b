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
 * spawn, stats, routing, security ─► web ─► problem ◄─ telemetry
 * store.file ✕ store.postgres: neither backend knows the other; they share store
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
	void theDomainKnowsNoFeatureNoBackendAndNoWeb() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.telemetry..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.spawntelemetry.spawn..", "dev.spawntelemetry.stats..",
					"dev.spawntelemetry.routing..", "dev.spawntelemetry.store..", "dev.spawntelemetry.security..",
					"dev.spawntelemetry.web..")
			.check(classes);
	}

	@Test
	void theDomainAndTheStorageSpeakNoHttp() {
		noClasses().that()
			.resideInAnyPackage("dev.spawntelemetry.telemetry..", "dev.spawntelemetry.store..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
			.check(classes);
	}

	@Test
	void problemTypesKnowNothingOfTheService() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.problem..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.spawntelemetry.telemetry..", "dev.spawntelemetry.spawn..",
					"dev.spawntelemetry.stats..", "dev.spawntelemetry.routing..", "dev.spawntelemetry.store..",
					"dev.spawntelemetry.security..", "dev.spawntelemetry.web..")
			.check(classes);
	}

	@Test
	void noBackendKnowsAnother() {
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.store.file..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.spawntelemetry.store.postgres..")
			.check(classes);
		noClasses().that()
			.resideInAPackage("dev.spawntelemetry.store.postgres..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.spawntelemetry.store.file..")
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
