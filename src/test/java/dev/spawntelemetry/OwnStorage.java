package dev.spawntelemetry;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives each {@link ServiceTest} class an application of its own on storage of its own:
 * the store locks its directory, so two test contexts never share one. On PostgreSQL (the
 * JVM's {@code telemetry.storage.type}, or the test's), a database of its own, dropped
 * when the context closes and injectable as {@link TestPostgres.Database}. Lazily, since
 * the port is known only once the server listens, it also defines the {@link TestApi}
 * bean.
 */
final class OwnStorage implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new Customizer(testClass);
	}

	/** Equal only for the same test class, so that each class gets its own context. */
	private record Customizer(Class<?> testClass) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
			Path dir = TestDataDirectories.create();
			Map<String, Object> properties = new HashMap<>();
			properties.put("telemetry.storage.dir", dir.toString());
			if ("postgres".equals(System.getProperty("telemetry.storage.type"))
					|| Arrays.asList(merged.getPropertySourceProperties())
						.contains("telemetry.storage.type=postgres")) {
				TestPostgres.Database database = TestPostgres.createDatabase();
				properties.put("spring.datasource.url", database.url());
				context.getBeanFactory().registerSingleton("testDatabase", database);
				context.addApplicationListener((ContextClosedEvent closed) -> database.close());
			}
			ConfigurableEnvironment environment = context.getEnvironment();
			environment.getPropertySources().addFirst(new MapPropertySource("ownStorage", properties));
			RootBeanDefinition api = new RootBeanDefinition(TestApi.class,
					() -> new TestApi(environment.getRequiredProperty("local.server.port", Integer.class)));
			api.setLazyInit(true);
			((BeanDefinitionRegistry) context.getBeanFactory()).registerBeanDefinition("testApi", api);
		}

	}

}
