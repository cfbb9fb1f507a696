package dev.gpuproxy.server.lb.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.lb.service.LoadBalancerService;
import java.math.BigDecimal;

/** One backend's live load, as {@code GET /api/v1/loadbalancer/loads} and the {@code loads} WebSocket topic show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadView(@JsonProperty("backend_id") long backendId, String pool,
                       @JsonProperty("pool_id") long poolId, @JsonProperty("pool_strategy") String poolStrategy,
                       @JsonProperty("private") boolean privatePool, String kind, String url,
                       @JsonProperty("instance_id") Long instanceId, @JsonProperty("in_flight") int inFlight,
                       long requests, long errors, @JsonProperty("ewma_latency_ms") double ewmaLatencyMs,
                       @JsonProperty("ttft_ms") double ttftMs,
                       @JsonProperty("consecutive_failures") int consecutiveFailures, boolean ejected,
                       double weight, @JsonProperty("price_per_hour") BigDecimal pricePerHour,
                       @JsonProperty("output_tokens_per_second") Double outputTokensPerSecond,
                       @JsonProperty("cost_per_1m_tokens") Double costPerMillionTokens) {
    public static LoadView of(LoadBalancerService.Load l) {
        return new LoadView(l.backendId(), l.pool(), l.poolId(), l.poolStrategy(), l.privatePool(), l.kind(),
                l.url(), l.instanceId(), l.inFlight(), l.requests(), l.errors(), l.ewmaLatencyMs(), l.ttftMs(),
                l.consecutiveFailures(), l.ejected(), l.weight(), l.pricePerHour(), l.outputTokensPerSecond(),
                l.costPerMillionTokens());
    }
}
