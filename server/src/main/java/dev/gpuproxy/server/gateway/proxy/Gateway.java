package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.config.GatewayConfig;
import dev.gpuproxy.server.config.ProxyConfig;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.lb.service.PoolCapacity;
import dev.gpuproxy.server.gateway.admission.SpendGuard;
import dev.gpuproxy.server.gateway.metering.TokenPricing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * What every proxied exchange shares: the upstream HTTP clients, the retry budget, pricing, metering, credit checks, the address guard.
 * A {@code @Singleton} (no client proxy), because exchanges read its fields directly on the hot path.
 */
@Singleton
public class Gateway {

    public final GatewayConfig config;
    final UpstreamClients clients;
    public final RetryBudget retryBudget;
    public final TokenPricing pricing;
    final UsageMeter meter;
    final SpendGuard spendGuard;
    public final Vertx vertx;
    final ProxyTargetGuard guard;
    /** Lets a request to a pool without a usable backend wait for one to be rented (autoscaled pools). */
    final PoolCapacity capacity;
    /** PROXY_MAX_BUFFERED_RESPONSE in bytes. */
    final long maxBufferedResponseBytes;

    Gateway(GatewayConfig config, ProxyConfig proxy, Vertx vertx, TokenPricing pricing, UsageMeter meter,
            SpendGuard spendGuard, ProxyTargetGuard guard, Instance<PoolCapacity> capacity) {
        this.capacity = capacity.isResolvable() ? capacity.get() : PoolCapacity.NONE;
        this.config = config;
        this.guard = guard;
        this.maxBufferedResponseBytes = proxy.maxBufferedResponse().asLongValue();
        this.vertx = vertx;
        this.pricing = pricing;
        this.meter = meter;
        this.spendGuard = spendGuard;
        this.retryBudget = new RetryBudget(config.retryRatio());
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setDecompressionSupported(false)
                .setTrustAll(false)
                .setVerifyHost(true);
        this.clients = new UpstreamClients(vertx, options, config.maxConnections(), 10_000);
    }

    @PreDestroy
    void close() {
        clients.close();
    }
}
