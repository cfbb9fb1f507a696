package dev.gpuproxy.server.lb.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendSpec;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.server.common.crypto.SecretBox;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.config.LbConfig;
import dev.gpuproxy.server.lb.repository.BackendEntity;
import dev.gpuproxy.server.lb.repository.LbRepository;
import dev.gpuproxy.server.lb.repository.PoolEntity;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every pool and backend this replica routes to, from three sources: the admin API (database, re-read every few
 * seconds so changes on other replicas arrive), BACKENDS_FILE, and the hosted-API keys of the environment
 * (OPENAI_API_KEYS, ...). A backend keeps its live state (latency, in-flight, ejection, key budgets) across re-reads
 * as long as its declaration is unchanged.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class PoolRegistry {

    /** Hosted APIs reachable by model prefix ({@code nvidia/...}), with their default base URLs. */
    static final Map<String, String> PROVIDER_BASE_URLS = Map.of(
            "openai", "https://api.openai.com/v1",
            "anthropic", "https://api.anthropic.com/v1",
            "nvidia", "https://integrate.api.nvidia.com/v1");

    /** Where a request for a model goes: the pool, and the model name to send upstream (prefix removed). */
    public record Route(Pool pool, String upstreamModel) {}

    private final LbConfig config;
    private final LbRepository repository;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final BackendMetrics metrics;
    private final jakarta.transaction.TransactionSynchronizationRegistry transactions;
    private final Map<Long, Backend> live = new ConcurrentHashMap<>();
    private final Map<Long, Pool> livePools = new ConcurrentHashMap<>();
    /** Admin changes whose transaction has not committed yet (see {@link #refreshNowAndAfterCommit}). */
    private final AtomicInteger changesAwaitingCommit = new AtomicInteger();
    private volatile List<PoolDecl> declaredOutsideDatabase = List.of();
    private volatile List<Pool> pools = List.of();
    private volatile Map<Long, AutoscaleSpec> autoscaled = Map.of();
    /** Backends that join a pool at run time (rented GPUs), by pool id then backend id; kept across refreshes. */
    private final Map<Long, Map<Long, BackendSpec>> members = new ConcurrentHashMap<>();

    PoolRegistry(LbConfig config, LbRepository repository, SecretBox secrets, ObjectMapper json,
                 BackendMetrics metrics, jakarta.transaction.TransactionSynchronizationRegistry transactions) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.config = config;
        this.repository = repository;
        this.secrets = secrets;
        this.json = json;
    }

    /** A pool as declared, before it becomes live. */
    record PoolDecl(long id, String name, Long ownerUserId, String strategy, List<String> aliases,
                    List<BackendSpec> backends, AutoscaleSpec autoscale) {}

    void onStart(@Observes StartupEvent event) {
        Strategy.named(config.strategy());
        declaredOutsideDatabase = declarationsFromFileAndEnvironment();
        refresh();
        Log.infof("Load balancer: %d pools, %d backends, default strategy %s", pools.size(), live.size(),
                config.strategy());
    }

    @Scheduled(every = "${lb.refresh-interval:${LB_REFRESH_INTERVAL:5s}}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        synchronized (this) {
            // It could not see an admin change that is not committed yet and would put the old pools back (the next
            // request finding its new pool missing) until that change's own after-commit refresh runs.
            if (changesAwaitingCommit.get() > 0) {
                return;
            }
            refresh();
        }
    }

    /** Re-reads the database and rebuilds the live pools, keeping the state of unchanged backends. */
    @Transactional
    public synchronized void refresh() {
        List<PoolDecl> declared = new ArrayList<>(declaredOutsideDatabase);
        declared.addAll(declarationsFromDatabase());
        Map<String, String> settings = repository.strategySettings();
        String globalDefault = settings.getOrDefault("global:0", config.strategy());
        long now = System.nanoTime();
        Map<Long, Backend> nextLive = new HashMap<>();
        List<Pool> next = new ArrayList<>();
        Map<Long, AutoscaleSpec> nextAutoscaled = new HashMap<>();
        for (PoolDecl decl : declared) {
            if (decl.autoscale() != null) {
                nextAutoscaled.put(decl.id(), decl.autoscale());
            }
            // A runtime change of one pool's strategy (PUT /api/v1/loadbalancer/strategy) wins over its declaration.
            String strategyName = settings.containsKey("pool:" + decl.id()) ? settings.get("pool:" + decl.id())
                    : decl.strategy() != null ? decl.strategy()
                    : settings.getOrDefault("pool:" + decl.id(), decl.ownerUserId() != null
                    ? settings.getOrDefault("user:" + decl.ownerUserId(), globalDefault) : globalDefault);
            Pool pool = livePools.get(decl.id());
            // A new Pool object (a new pool, or a new name or aliases) starts empty: every backend joins it below,
            // the unchanged ones too (they keep their live state).
            boolean freshPool = pool == null || !pool.name().equals(decl.name()) || !pool.aliases().equals(decl.aliases());
            if (freshPool) {
                pool = new Pool(decl.id(), decl.name(), decl.ownerUserId(), decl.aliases(), safe(strategyName));
                livePools.put(decl.id(), pool);
            }
            pool.strategy(safe(strategyName));
            List<Long> wanted = new ArrayList<>();
            List<BackendSpec> specs = new ArrayList<>(decl.backends());
            specs.addAll(members.getOrDefault(decl.id(), Map.of()).values());
            for (BackendSpec spec : specs) {
                Backend backend = live.get(spec.id());
                if (backend == null || !backend.spec().equals(spec)) {
                    backend = new Backend(spec, now);
                    pool.add(backend);
                } else if (freshPool) {
                    pool.add(backend);
                }
                nextLive.put(spec.id(), backend);
                metrics.track(decl.name(), backend);
                wanted.add(spec.id());
            }
            for (Backend existing : pool.backends()) {
                if (!wanted.contains(existing.id())) {
                    pool.remove(existing.id());
                }
            }
            next.add(pool);
        }
        livePools.keySet().retainAll(next.stream().map(Pool::id).toList());
        members.keySet().retainAll(livePools.keySet());
        autoscaled = Map.copyOf(nextAutoscaled);
        live.clear();
        live.putAll(nextLive);
        metrics.untrackAllExcept(nextLive.values());
        pools = List.copyOf(next);
    }

    /**
     * For changes made in the caller's transaction: rebuilds now (the caller sees its own writes) and once more after
     * the commit. Until that second rebuild, scheduled refreshes are skipped: reading the database before the commit,
     * they would put the old state back until the next interval.
     */
    public void refreshNowAndAfterCommit() {
        if (transactions.getTransactionKey() == null) {
            refresh();
            return;
        }
        // Counted before this rebuild, so that no scheduled refresh slips in between it and the commit.
        changesAwaitingCommit.incrementAndGet();
        try {
            refresh();
            transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    // On a worker: this thread still finishes the commit (and, on SQLite, holds the only connection).
                    io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool().execute(() -> {
                        try {
                            refresh();
                        } finally {
                            changesAwaitingCommit.decrementAndGet();
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            changesAwaitingCommit.decrementAndGet();
            throw e;
        }
    }

    /** The autoscale declaration of a pool, if it has one. */
    public Optional<AutoscaleSpec> autoscale(Pool pool) {
        return Optional.ofNullable(autoscaled.get(pool.id()));
    }

    /** The pools that declare {@code autoscale}. */
    public List<Pool> autoscaledPools() {
        Map<Long, AutoscaleSpec> current = autoscaled;
        return pools.stream().filter(p -> current.containsKey(p.id())).toList();
    }

    /**
     * Adds a backend to a pool at once, and keeps it there across refreshes until {@link #leave}: how a rented GPU
     * joins its pool once it is ready. The spec's id must not clash with declared backends (use negative ids below
     * {@code -1_000_000_000}).
     *
     * @return false when the pool does not exist (any more)
     */
    public synchronized boolean join(long poolId, BackendSpec spec) {
        Pool pool = livePools.get(poolId);
        if (pool == null) {
            return false;
        }
        members.computeIfAbsent(poolId, id -> new ConcurrentHashMap<>()).put(spec.id(), spec);
        Backend backend = new Backend(spec, System.nanoTime());
        live.put(spec.id(), backend);
        metrics.track(pool.name(), backend);
        pool.add(backend);
        return true;
    }

    /** Takes a backend added by {@link #join} out of its pool at once (a GPU died or was released). */
    public synchronized void leave(long poolId, long backendId) {
        Map<Long, BackendSpec> joined = members.get(poolId);
        if (joined != null) {
            joined.remove(backendId);
        }
        Pool pool = livePools.get(poolId);
        if (pool != null) {
            pool.remove(backendId);
        }
        live.remove(backendId);
    }

    /** All pools (admin view). */
    public List<Pool> pools() {
        return pools;
    }

    /** The global pools and the caller's own private pools. */
    public List<Pool> visibleTo(long userId) {
        return pools.stream().filter(p -> p.ownerUserId() == null || p.ownerUserId() == userId).toList();
    }

    public Optional<Backend> backend(long id) {
        return Optional.ofNullable(live.get(id));
    }

    public Optional<Pool> poolOf(Backend backend) {
        return pools.stream().filter(p -> p.backends().contains(backend)).findFirst();
    }

    /**
     * The pool for a model: the caller's private pools first, then global pools by name or alias, then a provider
     * prefix ({@code nvidia/meta/llama-3.1-8b-instruct} goes to pool {@code nvidia} as {@code meta/llama-3.1-8b-instruct}).
     */
    public Optional<Route> route(String model, long userId) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        List<Pool> current = pools;
        for (Pool pool : current) {
            if (pool.ownerUserId() != null && pool.ownerUserId() == userId && pool.matches(model)) {
                return Optional.of(new Route(pool, model));
            }
        }
        for (Pool pool : current) {
            if (pool.ownerUserId() == null && pool.matches(model)) {
                return Optional.of(new Route(pool, model));
            }
        }
        int slash = model.indexOf('/');
        if (slash > 0) {
            String prefix = model.substring(0, slash).toLowerCase(Locale.ROOT);
            for (Pool pool : current) {
                if (pool.ownerUserId() == null && pool.name().equals(prefix)) {
                    return Optional.of(new Route(pool, model.substring(slash + 1)));
                }
            }
        }
        return Optional.empty();
    }

    private List<PoolDecl> declarationsFromDatabase() {
        Map<Long, List<BackendSpec>> byPool = new HashMap<>();
        for (BackendEntity b : repository.backends()) {
            if (!b.enabled) {
                continue;
            }
            List<String> keys = b.apiKeysEncrypted == null ? List.of() : decodeKeys(b.apiKeysEncrypted);
            byPool.computeIfAbsent(b.poolId, id -> new ArrayList<>()).add(new BackendSpec(b.id, b.kind, b.url, keys,
                    b.weight, b.rateLimitRpm, b.gpuModel, b.vramGb,
                    b.pricePerHourMicros == null ? null : Credits.toDecimal(b.pricePerHourMicros), b.healthPath,
                    b.instanceId, b.instanceId != null ? "instance" : "api"));
        }
        List<PoolDecl> pools = new ArrayList<>();
        for (PoolEntity p : repository.pools()) {
            pools.add(new PoolDecl(p.id, p.name, p.ownerUserId, p.strategy, splitAliases(p.aliases),
                    byPool.getOrDefault(p.id, List.of()), storedAutoscale(p)));
        }
        return pools;
    }

    /** A stored autoscale declaration; one that no longer reads is logged and the pool stays fixed. */
    private AutoscaleSpec storedAutoscale(PoolEntity pool) {
        if (pool.autoscale == null) {
            return null;
        }
        try {
            return json.readValue(secrets.decrypt(pool.autoscale), AutoscaleSpec.class).validated("pool " + pool.name);
        } catch (IOException | RuntimeException e) {
            Log.warnf("Pool %s has an unreadable autoscale declaration, ignored: %s", pool.name, e.getMessage());
            return null;
        }
    }

    /** Decrypts a backend's stored key list. */
    List<String> decodeKeys(String sealed) {
        try {
            return json.readValue(secrets.decrypt(sealed), new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encrypts an autoscale declaration for storage: its launch environment may hold secrets (HF_TOKEN, ...). */
    public String encodeAutoscale(AutoscaleSpec autoscale) {
        try {
            return secrets.encrypt(json.writeValueAsString(autoscale));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encrypts a key list for storage. */
    public String encodeKeys(List<String> keys) {
        try {
            return secrets.encrypt(json.writeValueAsString(keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<PoolDecl> declarationsFromFileAndEnvironment() {
        IdSource ids = new IdSource();
        List<PoolDecl> declared = new ArrayList<>();
        if (config.backendsFile().isPresent()) {
            for (BackendsFile.PoolDecl pool : BackendsFile.read(Path.of(config.backendsFile().get())).pools()) {
                if (pool.name() == null || pool.name().isBlank()) {
                    throw new IllegalArgumentException("BACKENDS_FILE: every pool needs a name");
                }
                if (pool.strategy() != null) {
                    Strategy.named(pool.strategy());
                }
                List<BackendSpec> backends = new ArrayList<>();
                for (BackendsFile.BackendDecl b : pool.backends() == null ? List.<BackendsFile.BackendDecl>of()
                        : pool.backends()) {
                    if (b.url() == null || b.kind() == null) {
                        throw new IllegalArgumentException("BACKENDS_FILE: pool " + pool.name()
                                + " has a backend without kind or url");
                    }
                    backends.add(new BackendSpec(ids.next(), b.kind(), b.url(), b.apiKeys(), b.weight(),
                            b.rateLimitRpm(), b.gpuModel(), b.vramGb(), b.pricePerHour(), b.healthPath(), null, "file"));
                }
                AutoscaleSpec autoscale = pool.autoscale() == null ? null
                        : pool.autoscale().validated("BACKENDS_FILE: pool " + pool.name());
                declared.add(new PoolDecl(ids.next(), pool.name(), null, pool.strategy(),
                        pool.aliases() == null ? List.of() : pool.aliases(), backends, autoscale));
            }
        }
        Map<String, List<String>> keys = providerKeys();
        Map<String, List<String>> endpoints = serviceEndpoints();
        for (Map.Entry<String, List<String>> provider : keys.entrySet()) {
            if (provider.getValue().isEmpty()) {
                continue;
            }
            String name = provider.getKey();
            List<String> urls = endpoints.getOrDefault(name, List.of(PROVIDER_BASE_URLS.get(name)));
            List<BackendSpec> backends = new ArrayList<>();
            for (String url : urls) {
                backends.add(new BackendSpec(ids.next(), name.equals("anthropic") ? "anthropic" : "openai", url,
                        provider.getValue(), null, config.providerKeyRpm(), null, null, null, null, null, "env"));
            }
            declared.add(new PoolDecl(ids.next(), name, null, null, List.of(), backends, null));
        }
        return declared;
    }

    private Map<String, List<String>> providerKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("openai", new ArrayList<>(split(config.openaiApiKeys())));
        keys.put("anthropic", new ArrayList<>(split(config.anthropicApiKeys())));
        keys.put("nvidia", new ArrayList<>(split(config.nvidiaApiKeys())));
        if (config.keysFile().isPresent()) {
            try {
                for (String line : Files.readAllLines(Path.of(config.keysFile().get()))) {
                    String trimmed = line.trim();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue;
                    }
                    int colon = trimmed.indexOf(':');
                    String provider = colon > 0 ? trimmed.substring(0, colon).toLowerCase(Locale.ROOT) : "";
                    if (!keys.containsKey(provider)) {
                        throw new IllegalArgumentException("KEYS_FILE lines must be <openai|anthropic|nvidia>:<key>");
                    }
                    keys.get(provider).add(trimmed.substring(colon + 1).trim());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("KEYS_FILE " + config.keysFile().get() + " cannot be read", e);
            }
        }
        return keys;
    }

    private Map<String, List<String>> serviceEndpoints() {
        if (config.serviceEndpoints().isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(config.serviceEndpoints().get(), new TypeReference<Map<String, List<String>>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("SERVICE_ENDPOINTS must be JSON like {\"openai\":[\"https://...\"]}: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> split(Optional<String> commaSeparated) {
        return commaSeparated.map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList())
                .orElse(List.of());
    }

    static List<String> splitAliases(String aliases) {
        return aliases == null ? List.of()
                : Arrays.stream(aliases.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private Strategy safe(String name) {
        if (!config.enabled()) {
            return Strategy.firstAvailable();
        }
        try {
            Strategy strategy = Strategy.named(name);
            if (strategy.apiName().equals("cost_per_token") && config.costLatencyBound().isPresent()) {
                return Strategy.costPerToken(config.costLatencyBound().get().toNanos());
            }
            return strategy;
        } catch (IllegalArgumentException e) {
            Log.warnf("Ignoring unknown strategy %s", name);
            return Strategy.named("round_robin");
        }
    }

    /** Ids for pools and backends declared outside the database: negative, so they never clash with rows. */
    private static final class IdSource {
        private long next = -1;

        long next() {
            return next--;
        }
    }
}
