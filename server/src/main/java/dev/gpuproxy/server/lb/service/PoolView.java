package dev.gpuproxy.server.lb.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.lb.Pool;
import java.util.List;

/** A pool with its backends, as the admin API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolView(long id, String name, String strategy, List<String> aliases,
                       @JsonProperty("owner_user_id") Long ownerUserId, String source, List<BackendView> backends,
                       Object autoscale) {

    public static PoolView of(Pool pool) {
        return new PoolView(pool.id(), pool.name(), pool.strategy().apiName(), pool.aliases(), pool.ownerUserId(),
                pool.id() < 0 ? "config" : "api",
                pool.backends().stream().map(b -> BackendView.of(b, pool.name())).toList(), null);
    }

    /** The same view with the pool's autoscale state (whoever runs the autoscaler describes it); null = none. */
    public PoolView withAutoscale(Object state) {
        return new PoolView(id, name, strategy, aliases, ownerUserId, source, backends, state);
    }
}
