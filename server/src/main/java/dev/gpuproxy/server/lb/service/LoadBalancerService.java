package dev.gpuproxy.server.lb.service;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.LbConfig;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.server.lb.repository.LbRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What tenants and operators see and change of the balancer: live loads of the pools they may use, and strategies.
 * A tenant changes the strategy of its own private pools (all of them: scope {@code user:<id>}, or one:
 * {@code pool:<id>}); only an admin changes the global default ({@code global:0}) or a global pool's. Changing a
 * strategy keeps every backend's measured state ({@link PoolRegistry#refresh} keeps the Backend objects).
 */
@ApplicationScoped
public class LoadBalancerService {

    private final PoolRegistry registry;
    private final LbRepository repository;
    private final LbConfig config;
    private final Clock clock;

    LoadBalancerService(PoolRegistry registry, LbRepository repository, LbConfig config, Clock clock) {
        this.registry = registry;
        this.repository = repository;
        this.config = config;
        this.clock = clock;
    }

    /** Who asks: tenants see global pools without their addresses, plus their own pools in full. */
    public record Viewer(long userId, boolean admin) {}

    /** One backend's live load. {@code url} is null for a tenant looking at a global pool's backend. */
    public record Load(long backendId, long poolId, String pool, String poolStrategy, boolean privatePool,
                       String kind, String url, Long instanceId, int inFlight, long requests, long errors,
                       double ewmaLatencyMs, double ttftMs, int consecutiveFailures, boolean ejected, double weight,
                       java.math.BigDecimal pricePerHour, Double outputTokensPerSecond, Double costPerMillionTokens) {}

    /** A strategy setting and where it applies. */
    public record StrategySetting(String strategy, String scope, String pool, Long poolId) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Load> loads(Viewer viewer, String poolName) {
        List<Pool> pools = viewer.admin() ? registry.pools() : registry.visibleTo(viewer.userId());
        long now = System.nanoTime();
        return pools.stream()
                .filter(p -> poolName == null || p.name().equals(poolName))
                .flatMap(p -> p.backends().stream().map(b -> load(p, b, now, viewer.admin() || p.ownerUserId() != null)))
                .toList();
    }

    /** The load of the backend serving one of the caller's instances; anything else is a 404. */
    public Load load(Viewer viewer, long instanceId) {
        long now = System.nanoTime();
        for (Pool p : registry.pools()) {
            boolean mine = p.ownerUserId() != null && p.ownerUserId() == viewer.userId();
            if (!mine && !viewer.admin()) {
                continue;
            }
            for (Backend b : p.backends()) {
                if (b.spec().instanceId() != null && b.spec().instanceId() == instanceId) {
                    return load(p, b, now, true);
                }
            }
        }
        throw ApiException.notFound("No backend of yours serves instance " + instanceId
                + " (an instance joins its reservation's pool once it runs)");
    }

    private static Load load(Pool p, Backend b, long now, boolean showUrl) {
        return new Load(b.id(), p.id(), p.name(), p.strategy().apiName(), p.ownerUserId() != null, b.kind(),
                showUrl ? b.url() : null, b.spec().instanceId(), b.inFlight(), b.requests(), b.errors(),
                b.latencyNanos() / 1e6, b.ttftNanos() / 1e6, b.consecutiveFailures(), b.isEjected(now), b.weight(),
                b.spec().pricePerHour(), b.outputTokensPerSecond() > 0 ? b.outputTokensPerSecond() : null,
                Double.isNaN(b.costPerMillionTokens()) ? null : b.costPerMillionTokens());
    }

    /** The strategy that applies to the caller: a pool's, the tenant's default for private pools, or the global one. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public StrategySetting strategy(Viewer viewer, String poolRef) {
        if (poolRef != null) {
            Pool pool = pool(viewer, poolRef);
            return new StrategySetting(pool.strategy().apiName(), "pool", pool.name(), pool.id());
        }
        Map<String, String> settings = repository.strategySettings();
        String global = settings.getOrDefault("global:0", config.strategy());
        if (viewer.admin()) {
            return new StrategySetting(global, "global", null, null);
        }
        String own = settings.get("user:" + viewer.userId());
        return own == null ? new StrategySetting(global, "global", null, null)
                : new StrategySetting(own, "user", null, null);
    }

    /**
     * Sets a strategy. Without a pool: an admin sets the global default, a tenant the default of its private pools.
     *
     * @throws Strategy.UnknownStrategyException (400 listing the valid ones)
     */
    @Transactional
    public StrategySetting setStrategy(Viewer viewer, String strategyName, String poolRef) {
        String strategy = Strategy.named(strategyName).apiName();
        StrategySetting result;
        if (poolRef != null) {
            Pool pool = pool(viewer, poolRef);
            if (pool.ownerUserId() == null && !viewer.admin()) {
                throw ApiException.forbidden("Only an operator changes the strategy of the global pool " + pool.name());
            }
            repository.saveStrategy("pool", pool.id(), strategy, clock.instant());
            result = new StrategySetting(strategy, "pool", pool.name(), pool.id());
        } else if (viewer.admin()) {
            repository.saveStrategy("global", 0, strategy, clock.instant());
            result = new StrategySetting(strategy, "global", null, null);
        } else {
            repository.saveStrategy("user", viewer.userId(), strategy, clock.instant());
            result = new StrategySetting(strategy, "user", null, null);
        }
        registry.refreshNowAndAfterCommit();
        return result;
    }

    /** A pool the caller may see, by name (own private pool first) or id; others' private pools are 404. */
    private Pool pool(Viewer viewer, String ref) {
        List<Pool> visible = viewer.admin() ? registry.pools() : registry.visibleTo(viewer.userId());
        Optional<Pool> found = visible.stream()
                .filter(p -> p.ownerUserId() != null && p.ownerUserId() == viewer.userId() && p.name().equals(ref))
                .findFirst()
                .or(() -> visible.stream().filter(p -> p.ownerUserId() == null && p.name().equals(ref)).findFirst())
                .or(() -> visible.stream().filter(p -> String.valueOf(p.id()).equals(ref)).findFirst())
                .or(() -> viewer.admin() ? visible.stream().filter(p -> p.name().equals(ref)).findFirst()
                        : Optional.empty());
        return found.orElseThrow(() -> ApiException.notFound("No pool " + ref));
    }
}
