package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.api.model.Backend;
import dev.gpuproxy.api.model.Pool;
import dev.gpuproxy.api.model.PoolList;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Cells;
import dev.gpuproxy.cli.common.output.Table;
import java.util.List;

/** Paths, names and tables of the load balancer's admin API, shared by the pool and backend commands. */
final class Lb {

    static final String POOLS = "/api/v1/admin/pools";
    static final String BACKENDS = "/api/v1/admin/backends";

    private Lb() {
    }

    /** A pool's id: the argument itself when it is a number, else the id of the pool with that name. */
    static String poolId(ApiClient api, String idOrName) {
        if (idOrName.matches("\\d+")) {
            return idOrName;
        }
        for (Pool pool : api.get(POOLS, PoolList.class).value().data()) {
            if (idOrName.equals(pool.name())) {
                return Json.required(pool.id(), "id");
            }
        }
        throw new CliException("no pool named '" + idOrName + "'");
    }

    static Table poolTable(List<Pool> pools) {
        Table table = Table.withColumns("ID", "Name", "Strategy", "Backends", "Aliases", "Source");
        for (Pool pool : pools) {
            table.row(pool.id(), pool.name(), pool.strategy(), pool.backends().size(),
                    pool.aliases().isEmpty() ? "-" : String.join(",", pool.aliases()), pool.source());
        }
        return table;
    }

    static Table backendTable(List<Backend> backends) {
        Table table = Table.withColumns("ID", "Pool", "Kind", "URL", "Weight", "In flight", "Requests", "Errors",
                "Latency ms", "State", "Keys");
        for (Backend backend : backends) {
            int keys = backend.keys().size();
            long disabled = backend.keys().stream().filter(key -> Boolean.TRUE.equals(key.disabled())).count();
            table.row(backend.id(), backend.pool(), backend.kind(), backend.url(), Cells.number(backend.weight()),
                    backend.inFlight(), backend.requests(), backend.errors(), Cells.latency(backend.ewmaLatencyMs()),
                    Cells.ejection(backend.ejected()),
                    keys == 0 ? "-" : keys + (disabled > 0 ? " (" + disabled + " disabled)" : ""));
        }
        return table;
    }
}
