package dev.gpuproxy.server.gpu.rest;

import dev.gpuproxy.server.gpu.service.ProviderHealth;
import dev.gpuproxy.server.gpu.service.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The {@code gpu-providers} entry of /q/health/ready: each enabled provider's last outcome ({@code ok},
 * {@code failing: <message>} or {@code unknown}). Always up: a marketplace outage must not take the server out of
 * its load balancer, since every other feature still works and listings report the outage themselves.
 */
@Readiness
@ApplicationScoped
public class GpuProvidersReadinessCheck implements HealthCheck {

    private final ProviderRegistry registry;
    private final ProviderHealth health;

    GpuProvidersReadinessCheck(ProviderRegistry registry, ProviderHealth health) {
        this.registry = registry;
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("gpu-providers").up()
                .withData("enabled", String.join(",", registry.enabledIds()));
        registry.enabledIds().forEach(id -> response.withData(id, health.status(id)
                .map(status -> status.ok() ? "ok" : "failing: " + status.message())
                .orElse("unknown")));
        return response.build();
    }
}
