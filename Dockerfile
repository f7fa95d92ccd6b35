# Anomalyze: build the jar with Maven, run it on a Java 17 JRE as a fixed non-root user (10001).
# Podman and Buildah: build with --format docker, or the HEALTHCHECK is dropped (OCI images have none).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# Packaging the still empty project runs every plugin of the real build once, so this layer, which
# changes only with pom.xml, holds all they fetch (dependency:go-offline misses the plugins' own
# dependencies). The build below then runs offline: it fails rather than fetch anything.
RUN mvn -B -q -Dmaven.test.skip=true package && rm -rf target
COPY src src
COPY templates templates
COPY static static
COPY models models
RUN mvn -B -q -o -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
# A fixed user and group id, so a host folder can be given to the service before it starts:
# chown -R 10001:10001 ./data. The base image brings curl, which the health check uses.
RUN if ! command -v curl >/dev/null; then \
        apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; \
    fi \
    && groupadd --gid 10001 anomalyze \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin anomalyze
WORKDIR /app
COPY --from=build /src/target/anomalyze.jar /app/anomalyze.jar
COPY container/healthcheck.sh /app/healthcheck.sh
COPY uploads /app/uploads
# The bundled models as plain files, for score and evaluate (serve loads them from the jar).
COPY models /app/bundled-models
RUN mkdir -p /app/data /app/models && chown -R 10001:10001 /app/data /app/models
USER 10001:10001
ENV ANOMALYZE_HOST=0.0.0.0 \
    ANOMALYZE_PORT=7070 \
    ANOMALYZE_DATA_DIR=/app/data \
    ANOMALYZE_MODELS_DIR=/app/models \
    ANOMALYZE_SAMPLES_DIR=/app/uploads
VOLUME /app/data
EXPOSE 7070
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/bin/sh", "/app/healthcheck.sh"]
# The jar is the entry point and serve the default command: any other command runs as
#   docker run --rm -v "$PWD:/work" anomalyze score --model /app/bundled-models/nsl-kdd-kmeans.json /work/FILE
# The heap option sits here, not in JAVA_TOOL_OPTIONS, which every java command would echo;
# -e JAVA_TOOL_OPTIONS=-Xmx2g still overrides it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/anomalyze.jar"]
CMD ["serve"]
