package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.repository.GpuInstanceRepository;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a tenant may reach through the envelope and the pass-through: its own running instances (by id, at
 * their endpoint) and the registered backends it can see. Everything else is not a target at all.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
// Its callers run on workers for the data plane's routes, which activate no request context (EdgeRouteOrder).
@ActivateRequestContext
public class ProxyTargets {

    /** Backend kinds the gateway prices per token (the OpenAI and Anthropic routes). */
    private static final java.util.Set<String> TOKEN_METERED_KINDS = java.util.Set.of("openai", "anthropic");

    private final GpuInstanceRepository instances;
    private final PoolRegistry registry;

    ProxyTargets(GpuInstanceRepository instances, PoolRegistry registry) {
        this.instances = instances;
        this.registry = registry;
    }

    /** The base URL of the caller's running instance {@code instanceId}; empty for another tenant's or a stopped one. */
    public Optional<URI> instanceBase(long userId, long instanceId) {
        return instances.findById(instanceId)
                .filter(row -> row.userId == userId && row.endedAt == null && "running".equals(row.state))
                .flatMap(ProxyTargets::baseOf);
    }

    /** What a target URL is to a caller of the envelope. */
    public enum Access {
        /** Under one of the caller's running instances, or a backend it may call as one metered request. */
        ALLOWED,
        /** Under a global {@code openai} or {@code anthropic} backend: its price is per token, on the /v1 routes. */
        TOKEN_METERED,
        /** Neither: not a target at all. */
        NOT_REGISTERED
    }

    /** Whether the caller may send {@code target} through the envelope. */
    public Access access(long userId, URI target) {
        boolean tokenMetered = false;
        for (Pool pool : registry.visibleTo(userId)) {
            for (Backend backend : pool.backends()) {
                if (under(target, URI.create(backend.url()))) {
                    if (pool.ownerUserId() == null && TOKEN_METERED_KINDS.contains(backend.kind())) {
                        tokenMetered = true;
                    } else {
                        return Access.ALLOWED;
                    }
                }
            }
        }
        for (GpuInstanceEntity row : instances.listOwned(userId, false)) {
            if ("running".equals(row.state) && baseOf(row).filter(base -> under(target, base)).isPresent()) {
                return Access.ALLOWED;
            }
        }
        return tokenMetered ? Access.TOKEN_METERED : Access.NOT_REGISTERED;
    }

    private static Optional<URI> baseOf(GpuInstanceEntity row) {
        if (row.endpoint == null || row.endpoint.isBlank()) {
            return Optional.empty();
        }
        try {
            String endpoint = row.endpoint.contains("://") ? row.endpoint : "http://" + row.endpoint;
            return Optional.of(URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
                    : endpoint));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Same scheme, host and port, and a path at or below the base path (on a segment boundary). */
    public static boolean under(URI target, URI base) {
        if (base.getScheme() == null || base.getHost() == null || target.getScheme() == null || target.getHost() == null) {
            return false;
        }
        if (!base.getScheme().equalsIgnoreCase(target.getScheme())
                || !base.getHost().toLowerCase(Locale.ROOT).equals(target.getHost().toLowerCase(Locale.ROOT))
                || port(base) != port(target)) {
            return false;
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || ("/" + path + "/").contains("/../")) {
            return false; // a dot-segment, plain or encoded, could climb out of the base path at the target
        }
        return basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/");
    }

    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
