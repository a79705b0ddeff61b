package dev.spawntelemetry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * A test of the whole service on a random port, with storage of its own (a fresh data
 * directory, and a fresh PostgreSQL database, injectable, where the JVM or the test runs
 * with {@code telemetry.storage.type=postgres}) and a {@link TestApi} to inject:
 *
 * <pre class="code">
 * &#64;ServiceTest
 * class SpawnApiIT {
 *
 *     &#64;Autowired
 *     TestApi api;
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextCustomizerFactories(OwnStorage.class)
public @interface ServiceTest {

	/** Properties of this test's service, as {@code key=value}. */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

}
