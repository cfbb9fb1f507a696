package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The autopilot, which rents GPUs for pools that declare {@code autoscale} (see README, "Autopilot"). */
@ConfigMapping(prefix = "autopilot")
public interface AutopilotConfig {

    /** AUTOPILOT_INTERVAL: how often the replica holding the autopilot lease decides for each autoscaled pool. */
    @WithDefault("${AUTOPILOT_INTERVAL:2s}")
    Duration interval();

    /**
     * AUTOPILOT_CHECK_INTERVAL: how often every replica probes its pools' rented GPUs (readiness path): a new one joins
     * on its first 200, a dead one leaves on its first failure.
     */
    @WithDefault("${AUTOPILOT_CHECK_INTERVAL:1s}")
    Duration checkInterval();

    /** AUTOPILOT_PROBE_TIMEOUT: longest wait for one readiness probe. */
    @WithDefault("${AUTOPILOT_PROBE_TIMEOUT:2s}")
    Duration probeTimeout();

    /**
     * AUTOPILOT_OPERATOR_EMAIL: the account whose credits pay for GPUs rented for global pools; unset = the oldest
     * active admin. A tenant's own pool is always paid by the tenant.
     */
    @WithDefault("${AUTOPILOT_OPERATOR_EMAIL:}")
    Optional<String> operatorEmail();
}
