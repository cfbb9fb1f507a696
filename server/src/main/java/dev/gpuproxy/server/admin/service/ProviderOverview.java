package dev.gpuproxy.server.admin.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.provider.spi.Capability;
import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.server.gpu.service.ProviderHealth;
import dev.gpuproxy.server.gpu.service.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every GPU provider the server knows, enabled or not, with how its last call went and how many instances are live
 * there. Nothing here calls a provider: health is what the server's own calls (listings, polling) last saw.
 */
@ApplicationScoped
public class ProviderOverview {

    private final ProviderRegistry registry;
    private final ProviderHealth health;
    private final org.hibernate.Session session;

    ProviderOverview(ProviderRegistry registry, ProviderHealth health, org.hibernate.Session session) {
        this.registry = registry;
        this.health = health;
        this.session = session;
    }

    /**
     * @param status    {@code ok}, {@code failing}, {@code unknown} (not called yet) or {@code disabled}
     * @param lastError the last failure's message while failing, else null
     * @param checkedAt when the last call ended, or null
     */
    public record ProviderRow(String id, boolean enabled, List<String> capabilities, String status,
                              @JsonProperty("last_error") String lastError,
                              @JsonProperty("checked_at") Instant checkedAt,
                              @JsonProperty("live_instances") long liveInstances) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ProviderRow> providers() {
        Map<String, Long> live = new HashMap<>();
        for (Object[] r : session.createSelectionQuery("select i.provider, count(i) from GpuInstanceEntity i"
                + " where i.endedAt is null group by i.provider", Object[].class).getResultList()) {
            live.put((String) r[0], ((Number) r[1]).longValue());
        }
        TreeSet<String> ids = new TreeSet<>(registry.registeredIds());
        ids.addAll(registry.enabledIds());
        ids.addAll(live.keySet());
        return ids.stream().map(id -> {
            Optional<GpuProvider> provider = registry.find(id);
            if (provider.isEmpty()) {
                return new ProviderRow(id, false, List.of(), "disabled", null, null, live.getOrDefault(id, 0L));
            }
            Optional<ProviderHealth.Status> status = health.status(id);
            return new ProviderRow(id, true,
                    provider.get().capabilities().stream().map(Capability::name)
                            .map(name -> name.toLowerCase(Locale.ROOT)).sorted().toList(),
                    status.map(s -> s.ok() ? "ok" : "failing").orElse("unknown"),
                    status.filter(s -> !s.ok()).map(ProviderHealth.Status::message).orElse(null),
                    status.map(ProviderHealth.Status::at).orElse(null),
                    live.getOrDefault(id, 0L));
        }).toList();
    }
}
