# syntax=docker/dockerfile:1
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests -Dspring-javaformat.skip=true \
    && java -Djarmode=tools -jar target/spawn-telemetry-*.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# curl for the health check, installed rather than counted on (the Temurin 25 images dropped it)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app spawn \
    && mkdir -p /data && chown spawn /data
WORKDIR /app
# least to most often changed, so a new build reuses the dependency layers
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER spawn
ENV TELEMETRY_STORAGE_DIR=/data \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /data
EXPOSE 8080
# Liveness: is the process able to answer at all. It follows MANAGEMENT_SERVER_PORT when
# actuator is moved to a port of its own.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS "http://localhost:${MANAGEMENT_SERVER_PORT:-8080}/actuator/health/liveness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
