package dev.gpuproxy.server.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /health: a quick status for operators and load balancers. 503 ("down") when the service cannot work: the
 * database is down, or Redis is down with SESSION_MODE=redis. Redis down otherwise is 200 "degraded": every request
 * still works (rate limits count in memory, sessions read SQL), so load balancers must keep sending traffic. 503
 * "draining" from SIGTERM on, so load balancers stop sending new requests while those in flight finish.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {

    private final SystemHealth health;
    private final DrainState drain;

    HealthResource(SystemHealth health, DrainState drain) {
        this.health = health;
        this.drain = drain;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthReport(String status, Instant timestamp, Map<String, ComponentStatus> checks) {}

    public record ComponentStatus(String status, String detail) {
        static ComponentStatus of(SystemHealth.Component component) {
            return new ComponentStatus(component.up() ? "up" : "down", component.detail());
        }
    }

    @GET
    @Blocking
    public Response get() {
        Map<String, ComponentStatus> checks = new LinkedHashMap<>();
        checks.put("database", ComponentStatus.of(health.database()));
        if (health.redisConfigured()) {
            checks.put("redis", ComponentStatus.of(health.redis()));
        }
        boolean databaseUp = checks.get("database").status().equals("up");
        boolean redisUp = !checks.containsKey("redis") || checks.get("redis").status().equals("up");
        boolean serving = databaseUp && (redisUp || !health.redisRequired());
        String status = !serving ? "down" : drain.draining() ? "draining" : redisUp ? "ok" : "degraded";
        return Response.status(serving && !drain.draining() ? 200 : 503).entity(new HealthReport(status, Instant.now(), checks)).build();
    }
}
