package dev.gpuproxy.server.lb.service;

import dev.gpuproxy.server.config.LbConfig;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Active health checks: every LB_HEALTH_INTERVAL each self-hosted backend's health path ({@code health_path}, else
 * {@code /health} at the server root, where vLLM answers) is fetched; a failure ejects the backend (never the last
 * healthy one of its pool), a success re-admits it at once. Hosted APIs with keys are not probed: their health is
 * what their answers say.
 */
@ApplicationScoped
public class HealthChecker {

    private final PoolRegistry registry;
    private final HttpClient client;
    private final long timeoutMillis;

    HealthChecker(PoolRegistry registry, LbConfig config, Vertx vertx) {
        this.registry = registry;
        this.timeoutMillis = config.healthTimeout().toMillis();
        this.client = vertx.createHttpClient();
    }

    @Scheduled(every = "${lb.health-interval:${LB_HEALTH_INTERVAL:10s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        checkOnce();
    }

    /** Probes every eligible backend once; the future completes when all have answered or timed out. */
    public Future<Void> checkOnce() {
        List<Future<?>> probes = new ArrayList<>();
        for (Pool pool : registry.pools()) {
            for (Backend backend : pool.backends()) {
                // gRPC backends (grpc://) have no HTTP health path: their calls judge them (passive ejection).
                if (backend.keys().isEmpty() && !backend.url().startsWith("grpc")) {
                    probes.add(probe(pool, backend));
                }
            }
        }
        return Future.join(probes).mapEmpty();
    }

    private Future<Void> probe(Pool pool, Backend backend) {
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(healthUrl(backend))
                    .setTimeout(timeoutMillis).addHeader("User-Agent", "gpuproxy-health");
        } catch (IllegalArgumentException badUrl) {
            return Future.succeededFuture();
        }
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .transform(result -> {
                    long now = System.nanoTime();
                    if (result.succeeded() && result.result() >= 200 && result.result() < 300) {
                        backend.healthCheckPassed();
                    } else {
                        backend.healthCheckFailed(now, pool.snapshot().hasHealthyOtherThan(backend, now));
                    }
                    return Future.<Void>succeededFuture();
                });
    }

    static String healthUrl(Backend backend) {
        URI base = URI.create(backend.url());
        String path = backend.spec().healthPath() != null ? backend.spec().healthPath() : "/health";
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return base.getScheme() + "://" + base.getRawAuthority() + path;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
