# Anomalyze: build the jar with Maven, run it on a Java 17 JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY templates templates
COPY static static
COPY models models
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system anomalyze && useradd --system --gid anomalyze --home-dir /app --shell /usr/sbin/nologin anomalyze
WORKDIR /app
COPY --from=build /src/target/anomalyze.jar /app/anomalyze.jar
COPY uploads /app/uploads
RUN mkdir -p /app/data /app/models && chown -R anomalyze:anomalyze /app/data /app/models
USER anomalyze
ENV ANOMALYZE_HOST=0.0.0.0 \
    ANOMALYZE_PORT=7070 \
    ANOMALYZE_DATA_DIR=/app/data \
    ANOMALYZE_MODELS_DIR=/app/models \
    ANOMALYZE_SAMPLES_DIR=/app/uploads \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /app/data
EXPOSE 7070
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:7070/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/anomalyze.jar", "serve"]
