package dev.gpuproxy.server.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready: the database, and Redis when configured, must answer. */
@ApplicationScoped
public class ReadinessChecks {

    private final SystemHealth health;

    ReadinessChecks(SystemHealth health) {
        this.health = health;
    }

    @Produces
    @Readiness
    HealthCheck database() {
        return () -> toResponse("database", health.database());
    }

    @Produces
    @Readiness
    HealthCheck redis() {
        return () -> health.redisConfigured()
                ? toResponse("redis", health.redis())
                : HealthCheckResponse.named("redis").up().withData("configured", false).build();
    }

    private static HealthCheckResponse toResponse(String name, SystemHealth.Component component) {
        return HealthCheckResponse.named(name).status(component.up()).withData("detail", component.detail()).build();
    }
}
