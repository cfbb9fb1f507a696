package dev.gpuproxy.server.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * /q/health/ready: the database must answer; Redis only when the service cannot work without it (SESSION_MODE=redis).
 * Otherwise a Redis outage shows as {@code degraded} data on an UP check, so the replica keeps its traffic.
 */
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
        return () -> {
            if (!health.redisConfigured()) {
                return HealthCheckResponse.named("redis").up().withData("configured", false).build();
            }
            SystemHealth.Component redis = health.redis();
            if (redis.up() || health.redisRequired()) {
                return toResponse("redis", redis);
            }
            return HealthCheckResponse.named("redis").up().withData("degraded", true)
                    .withData("detail", redis.detail()).build();
        };
    }

    private static HealthCheckResponse toResponse(String name, SystemHealth.Component component) {
        return HealthCheckResponse.named(name).status(component.up()).withData("detail", component.detail()).build();
    }
}
