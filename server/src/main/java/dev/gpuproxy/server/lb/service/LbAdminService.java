package dev.gpuproxy.server.lb.service;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.lb.repository.BackendEntity;
import dev.gpuproxy.server.lb.repository.LbRepository;
import dev.gpuproxy.server.lb.repository.PoolEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Operator changes to pools and backends; each is applied to this replica at once and to others on their refresh. */
@ApplicationScoped
public class LbAdminService {

    public static final Set<String> KINDS = Set.of("openai", "anthropic", "openinference", "mcp", "http", "api");

    private final LbRepository repository;
    private final PoolRegistry registry;
    private final Clock clock;

    LbAdminService(LbRepository repository, PoolRegistry registry, Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.clock = clock;
    }

    public record NewBackend(String pool, String kind, String url, List<String> apiKeys, Double weight,
                             Integer rateLimitRpm, String gpuModel, Integer vramGb, BigDecimal pricePerHour,
                             String healthPath) {}

    @Transactional
    public PoolView createPool(String name, String strategy, List<String> aliases) {
        return createPool(name, strategy, aliases, null);
    }

    /** A global pool; with {@code autoscale}, one whose GPUs the autopilot rents. */
    @Transactional
    public PoolView createPool(String name, String strategy, List<String> aliases, AutoscaleSpec autoscale) {
        if (strategy != null) {
            Strategy.named(strategy);
        }
        if (repository.globalPool(name).isPresent() || registry.pools().stream()
                .anyMatch(p -> p.ownerUserId() == null && p.name().equals(name))) {
            throw ApiException.conflict("pool_exists", "A pool named " + name + " already exists");
        }
        PoolEntity pool = new PoolEntity();
        pool.name = name;
        pool.strategy = strategy;
        pool.aliases = aliases == null || aliases.isEmpty() ? null : String.join(",", aliases);
        pool.createdAt = clock.instant();
        pool.autoscale = autoscaleJson(name, autoscale);
        repository.persist(pool);
        registry.refreshNowAndAfterCommit();
        return PoolView.of(registry.pools().stream().filter(p -> p.id() == pool.id).findFirst().orElseThrow());
    }

    /** Sets (or with null removes) a stored pool's autoscale declaration. */
    @Transactional
    public PoolView setAutoscale(long id, AutoscaleSpec autoscale) {
        if (id < 0) {
            throw ApiException.conflict("declared_in_config", "This pool is declared in configuration; edit it there");
        }
        PoolEntity pool = repository.pool(id).orElseThrow(() -> ApiException.notFound("No pool " + id));
        pool.autoscale = autoscaleJson(pool.name, autoscale);
        registry.refreshNowAndAfterCommit();
        return PoolView.of(registry.pools().stream().filter(p -> p.id() == id).findFirst().orElseThrow());
    }

    private String autoscaleJson(String poolName, AutoscaleSpec autoscale) {
        if (autoscale == null) {
            return null;
        }
        try {
            autoscale.validated("pool " + poolName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return registry.encodeAutoscale(autoscale);
    }

    @Transactional
    public void deletePool(long id) {
        if (id < 0) {
            throw ApiException.conflict("declared_in_config", "This pool is declared in configuration; edit it there");
        }
        PoolEntity pool = repository.pool(id).orElseThrow(() -> ApiException.notFound("No pool " + id));
        repository.remove(pool);
        registry.refreshNowAndAfterCommit();
    }

    @Transactional
    public BackendView addBackend(NewBackend request) {
        if (!KINDS.contains(request.kind())) {
            throw ApiException.badRequest("kind must be one of " + String.join(", ", KINDS.stream().sorted().toList()));
        }
        URI url = parseUrl(request.url(), "openinference".equals(request.kind()));
        PoolEntity pool = repository.globalPool(request.pool())
                .orElseThrow(() -> ApiException.notFound("No pool named " + request.pool()
                        + " (create it with POST /api/v1/admin/pools)"));
        BackendEntity backend = new BackendEntity();
        backend.poolId = pool.id;
        backend.kind = request.kind();
        backend.url = url.toString().replaceAll("/+$", "");
        backend.apiKeysEncrypted = request.apiKeys() == null || request.apiKeys().isEmpty() ? null
                : registry.encodeKeys(request.apiKeys());
        backend.weight = request.weight();
        backend.rateLimitRpm = request.rateLimitRpm();
        backend.gpuModel = request.gpuModel();
        backend.vramGb = request.vramGb();
        backend.pricePerHourMicros = request.pricePerHour() == null ? null
                : Credits.parse(request.pricePerHour(), "price_per_hour");
        backend.healthPath = request.healthPath();
        backend.enabled = true;
        backend.createdAt = clock.instant();
        repository.persist(backend);
        registry.refreshNowAndAfterCommit();
        Backend live = registry.backend(backend.id).orElseThrow();
        return BackendView.of(live, pool.name);
    }

    @Transactional
    public void deleteBackend(long id) {
        if (id < 0) {
            throw ApiException.conflict("declared_in_config", "This backend is declared in configuration; edit it there");
        }
        BackendEntity backend = repository.backend(id).orElseThrow(() -> ApiException.notFound("No backend " + id));
        repository.remove(backend);
        registry.refreshNowAndAfterCommit();
    }

    /** Re-enables every disabled or cooling key of a backend (after the operator fixed the account). */
    public BackendView enableKeys(long id) {
        Backend backend = registry.backend(id).orElseThrow(() -> ApiException.notFound("No backend " + id));
        backend.keys().keys().forEach(BackendKey::enable);
        return BackendView.of(backend, registry.poolOf(backend).map(p -> p.name()).orElse(null));
    }

    /** An http(s) URL with a host; Open Inference backends may also be gRPC endpoints (grpc:// or grpcs://). */
    private static URI parseUrl(String url, boolean grpcAllowed) {
        try {
            URI parsed = URI.create(url);
            String scheme = parsed.getScheme();
            boolean http = "http".equals(scheme) || "https".equals(scheme);
            boolean grpc = grpcAllowed && ("grpc".equals(scheme) || "grpcs".equals(scheme));
            if (!(http || grpc) || parsed.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(grpcAllowed
                    ? "url must be an http(s) URL, or for Open Inference over gRPC a grpc(s)://host:port URL, with a host"
                    : "url must be an http(s) URL with a host");
        }
    }
}
