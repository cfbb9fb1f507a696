package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.Capability;
import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The operator's own GPU servers (STATIC_GPUS_FILE) as a provider, so the platform is useful without a marketplace
 * account. Each server is one offer, rented by one tenant at a time: "launching" assigns it (the instance runs at once,
 * and its host is the server's URL, which becomes the instance's endpoint); destroying frees it.
 *
 * <p>Which servers are assigned is read from the {@code instances} table (a unique index keeps it to one live row per
 * server), so every replica agrees; nothing is started or stopped on the servers themselves.
 */
public final class StaticGpuProvider implements GpuProvider {

    public static final String ID = "static";
    /** Separates the server name from the rental's own suffix in an instance id ({@code a100-1@3f2c9e1a}). */
    private static final char SEPARATOR = '@';

    private final Map<String, StaticGpuServer> servers;
    private final Supplier<Set<String>> assignedServers;
    private final Clock clock;

    /**
     * @param servers         the declared servers
     * @param assignedServers names of the servers currently assigned to a tenant
     */
    public StaticGpuProvider(List<StaticGpuServer> servers, Supplier<Set<String>> assignedServers, Clock clock) {
        this.servers = servers.stream().collect(Collectors.toMap(StaticGpuServer::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
        this.assignedServers = assignedServers;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    public int size() {
        return servers.size();
    }

    /** The free servers that match the query; assigned servers are not offered. */
    @Override
    public List<Offer> listOffers(OfferQuery query) {
        Set<String> assigned = assignedServers.get();
        return servers.values().stream()
                .filter(server -> !assigned.contains(server.name()))
                .map(StaticGpuProvider::offer)
                .filter(offer -> OfferMatcher.matches(offer, query))
                .limit(query.limitOr(Integer.MAX_VALUE))
                .toList();
    }

    static Offer offer(StaticGpuServer server) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", server.name());
        // An operator's own server has no marketplace score; it counts as fully reliable.
        return new Offer(server.name(), ID, server.gpuModel(), server.gpus(), server.vramGb(), 0, 0, 0,
                server.pricePerHour(), server.location(), 1.0, 0, true, server.name(), raw);
    }

    /**
     * Assigns the server. Whether it is free is not checked here: the caller has already recorded the assignment,
     * and the database refuses a second live one for the same server.
     */
    @Override
    public Instance launch(String offerId, LaunchSpec spec) {
        StaticGpuServer server = servers.get(offerId);
        if (server == null) {
            throw new ProviderException(ID, ProviderException.Kind.NOT_FOUND, 0, "no GPU server named " + offerId, null);
        }
        String instanceId = offerId + SEPARATOR + UUID.randomUUID().toString().substring(0, 8);
        return instance(instanceId, server);
    }

    /** Running for as long as the server is declared; a server removed from the file is gone. */
    @Override
    public Optional<Instance> get(String instanceId) {
        int separator = instanceId.lastIndexOf(SEPARATOR);
        StaticGpuServer server = separator < 0 ? null : servers.get(instanceId.substring(0, separator));
        return Optional.ofNullable(server).map(found -> instance(instanceId, found));
    }

    /** Assignments live in the {@code instances} table, not here; the server never asks a provider for this list. */
    @Override
    public List<Instance> list() {
        return List.of();
    }

    /** Nothing runs on the server on the tenant's behalf, so freeing it is the caller ending the assignment. */
    @Override
    public void destroy(String instanceId) {
    }

    private Instance instance(String instanceId, StaticGpuServer server) {
        return new Instance(instanceId, ID, server.name(), InstanceState.RUNNING, server.gpuModel(), server.gpus(),
                server.pricePerHour(), server.url().strip(), Map.of(), clock.instant(), "assigned");
    }
}
