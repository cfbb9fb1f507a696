# syntax=docker/dockerfile:1
# Build stage: the whole reactor with Maven, tests skipped (CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module's POM first, so the dependency layer is cached until a POM changes.
COPY pom.xml .
COPY lb-core/pom.xml lb-core/
COPY provider-spi/pom.xml provider-spi/
COPY provider-support/pom.xml provider-support/
COPY providers-vastai/pom.xml providers-vastai/
COPY providers-ionet/pom.xml providers-ionet/
COPY db/pom.xml db/
COPY web-admin/pom.xml web-admin/
COPY server/pom.xml server/
COPY api-model/pom.xml api-model/
COPY cli-common/pom.xml cli-common/
COPY client-cli/pom.xml client-cli/
COPY admin-cli/pom.xml admin-cli/
COPY web-admin-e2e/pom.xml web-admin-e2e/
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=dev.gpuproxy || true
COPY . .
# Only the server and what it is built from (not the CLIs or the browser tests).
RUN mvn -B -q package -pl server -am -DskipTests -DskipITs

# Runtime stage: a slim JRE, the Quarkus fast-jar, a non-root user.
FROM eclipse-temurin:17-jre
RUN groupadd --system gpuproxy && useradd --system --gid gpuproxy --home-dir /app gpuproxy \
    && mkdir -p /app/data && chown -R gpuproxy:gpuproxy /app
WORKDIR /app
COPY --from=build --chown=gpuproxy:gpuproxy /src/server/target/quarkus-app/ /app/
USER gpuproxy
ENV DB_PATH=/app/data/gpuproxy.db SERVER_PORT=8080
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
# DEVELOPER_MODE=true / DEBUG_MODE=true in .env turn on what gpuproxyd -dv / -dm do (see .env.example).
# The launcher's JVM choices: G1 with a 20 ms pause goal; the JIT compiling the hot path sooner on four threads, with the
# native memory the compilers freed handed back every 5 s; the heap is three quarters of the container's memory from the
# start, never resized while serving. See README "Docker".
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:CICompilerCount=4", "-XX:CompileThresholdScaling=0.5", \
            "-XX:TrimNativeHeapInterval=5000", "-XX:InitialRAMPercentage=75", "-XX:MaxRAMPercentage=75", \
            "-jar", "/app/quarkus-run.jar"]
