package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.GpuProviderFactory;
import dev.gpuproxy.provider.spi.ProviderConfig;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.GpuConfig;
import dev.gpuproxy.server.config.IoNetConfig;
import dev.gpuproxy.server.config.VastAiConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The GPU providers this server offers. Adapter factories are found once with {@link ServiceLoader}; each one whose
 * account is configured (VASTAI_API_KEY, IONET_API_KEY, ...) is enabled, and STATIC_GPUS_FILE adds the operator's own
 * servers as provider {@code static}. Two factories with one id stop the server at start.
 */
@Startup
@ApplicationScoped
public class ProviderRegistry {

    private final Map<String, GpuProviderFactory> registered;
    private final Map<String, String> idsByAlias;
    private final SortedMap<String, GpuProvider> enabled;

    ProviderRegistry(GpuConfig gpu, VastAiConfig vastai, IoNetConfig ionet, Config config, Clock clock,
                     InstanceRecords records) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.registered = index(ServiceLoader.load(GpuProviderFactory.class,
                loader != null ? loader : GpuProviderFactory.class.getClassLoader()));
        this.idsByAlias = aliases(registered.values());
        SortedMap<String, GpuProvider> providers = new TreeMap<>();
        registered.forEach((id, factory) -> {
            Map<String, String> settings = settings(id, gpu, vastai, ionet, config);
            if (!factory.isConfigured(settings)) {
                Log.infof("GPU provider %s not enabled: %s_API_KEY is not set", id, id.toUpperCase(Locale.ROOT));
                return;
            }
            try {
                providers.put(id, factory.create(settings));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("GPU provider " + id + " cannot be enabled: " + e.getMessage(), e);
            }
        });
        gpu.staticGpusFile().filter(file -> !file.isBlank()).ifPresent(file -> {
            if (registered.containsKey(StaticGpuProvider.ID)) {
                throw new IllegalStateException("GPU provider id " + StaticGpuProvider.ID
                        + " is reserved for STATIC_GPUS_FILE but is also registered by "
                        + registered.get(StaticGpuProvider.ID).getClass().getName());
            }
            StaticGpuProvider servers = new StaticGpuProvider(StaticGpuServers.load(Path.of(file.strip())),
                    () -> records.liveOfferIds(StaticGpuProvider.ID), clock);
            Log.infof("GPU provider static: %d server(s) from %s", servers.size(), file.strip());
            providers.put(StaticGpuProvider.ID, servers);
        });
        this.enabled = Collections.unmodifiableSortedMap(providers);
        Log.infof("GPU providers enabled: %s", providers.isEmpty() ? "none" : String.join(", ", providers.keySet()));
    }

    /**
     * Factories by id, in discovery order, each registration logged.
     *
     * @throws IllegalStateException when two factories claim one id
     */
    static Map<String, GpuProviderFactory> index(Iterable<GpuProviderFactory> factories) {
        Map<String, GpuProviderFactory> result = new LinkedHashMap<>();
        for (GpuProviderFactory factory : factories) {
            String id = factory.id();
            GpuProviderFactory earlier = result.putIfAbsent(id, factory);
            if (earlier != null) {
                throw new IllegalStateException("Two GPU provider factories claim the id " + id + ": "
                        + earlier.getClass().getName() + " and " + factory.getClass().getName());
            }
            Log.infof("GPU provider factory registered: %s (%s)", id, factory.getClass().getName());
        }
        return result;
    }

    /**
     * Each factory's aliases (lower case) to its id, so {@code vast.ai} names {@code vastai}.
     *
     * @throws IllegalStateException when an alias is claimed twice or names another provider's id
     */
    static Map<String, String> aliases(Iterable<GpuProviderFactory> factories) {
        Map<String, String> ids = new HashMap<>();
        for (GpuProviderFactory factory : factories) {
            ids.put(factory.id(), factory.id());
        }
        Map<String, String> result = new HashMap<>();
        for (GpuProviderFactory factory : factories) {
            for (String alias : factory.aliases()) {
                String key = alias.strip().toLowerCase(Locale.ROOT);
                String earlier = result.putIfAbsent(key, factory.id());
                if ((earlier != null && !earlier.equals(factory.id())) || (ids.containsKey(key) && !key.equals(factory.id()))
                        || StaticGpuProvider.ID.equals(key)) {
                    throw new IllegalStateException("GPU provider alias " + alias + " of " + factory.id()
                            + " is already the name of provider " + (earlier != null ? earlier : key));
                }
            }
        }
        return result;
    }

    /**
     * The configuration map for one factory: typed settings for the adapters shipped with the server, and
     * {@code <ID>_API_KEY} / {@code <ID>_API_URL} for any other adapter on the class path.
     */
    static Map<String, String> settings(String id, GpuConfig gpu, VastAiConfig vastai, IoNetConfig ionet,
                                        Config config) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ProviderConfig.TIMEOUT, gpu.apiTimeout().toString());
        switch (id) {
            case "vastai" -> {
                vastai.apiKey().ifPresent(key -> settings.put(ProviderConfig.API_KEY, key));
                settings.put(ProviderConfig.API_URL, vastai.apiUrl());
            }
            case "ionet" -> {
                ionet.apiKey().ifPresent(key -> settings.put(ProviderConfig.API_KEY, key));
                settings.put(ProviderConfig.API_URL, ionet.apiUrl());
                settings.put("duration_hours", String.valueOf(ionet.durationHours()));
                settings.put("whitelist", ionet.whitelist());
            }
            default -> {
                config.getOptionalValue(id + ".api-key", String.class)
                        .ifPresent(key -> settings.put(ProviderConfig.API_KEY, key));
                config.getOptionalValue(id + ".api-url", String.class)
                        .ifPresent(url -> settings.put(ProviderConfig.API_URL, url));
            }
        }
        return settings;
    }

    /** Ids of every adapter found on the class path, enabled or not. */
    public Set<String> registeredIds() {
        return registered.keySet();
    }

    /** The enabled providers, by id. */
    public Collection<GpuProvider> enabled() {
        return enabled.values();
    }

    public List<String> enabledIds() {
        return List.copyOf(enabled.keySet());
    }

    /**
     * The provider id a user's name stands for: an id or an alias ({@code vast.ai}, {@code io.net}), in any case;
     * unknown names come back stripped and lower-cased, so they still fail as unknown.
     */
    public String canonical(String name) {
        if (name == null) {
            return null;
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        return idsByAlias.getOrDefault(key, key);
    }

    public Optional<GpuProvider> find(String id) {
        return Optional.ofNullable(id == null ? null : enabled.get(canonical(id)));
    }

    /** The enabled provider named in a URL; any other name is a 404. */
    public GpuProvider require(String id) {
        return find(id).orElseThrow(() -> ApiException.notFound("No GPU provider '" + id + "' is enabled on this server"
                + " (enabled: " + (enabled.isEmpty() ? "none" : String.join(", ", enabledIds())) + ")"));
    }
}
