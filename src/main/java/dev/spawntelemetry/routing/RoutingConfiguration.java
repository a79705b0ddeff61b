package dev.spawntelemetry.routing;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Refreshes the drift alarm gauges on Spring's scheduler. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RoutingConfiguration {

}
