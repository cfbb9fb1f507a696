package dev.gpuproxy.cli.admin.lb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Json;
import dev.gpuproxy.cli.common.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        for (JsonNode pool : api.get(POOLS).path("data")) {
            if (pool.path("name").asText().equals(idOrName)) {
                return Json.required(pool, "id");
            }
        }
        throw new CliException("no pool named '" + idOrName + "'");
    }

    static Table poolTable(Iterable<JsonNode> pools) {
        Table table = Table.withColumns("ID", "Name", "Strategy", "Backends", "Aliases", "Source");
        for (JsonNode pool : pools) {
            List<String> aliases = new ArrayList<>();
            pool.path("aliases").forEach(alias -> aliases.add(alias.asText()));
            table.row(Json.text(pool, "id"), Json.text(pool, "name"), Json.text(pool, "strategy"),
                    pool.path("backends").size(), aliases.isEmpty() ? "-" : String.join(",", aliases),
                    Json.text(pool, "source"));
        }
        return table;
    }

    static Table backendTable(Iterable<JsonNode> backends) {
        Table table = Table.withColumns("ID", "Pool", "Kind", "URL", "Weight", "In flight", "Requests", "Errors",
                "Latency ms", "State", "Keys");
        for (JsonNode backend : backends) {
            int keys = backend.path("keys").size();
            long disabled = 0;
            for (JsonNode key : backend.path("keys")) {
                disabled += key.path("disabled").asBoolean() ? 1 : 0;
            }
            table.row(Json.text(backend, "id"), Json.text(backend, "pool"), Json.text(backend, "kind"),
                    Json.text(backend, "url"), Json.number(backend, "weight"), Json.text(backend, "in_flight"),
                    Json.text(backend, "requests"), Json.text(backend, "errors"),
                    String.format(Locale.ROOT, "%.1f", backend.path("ewma_latency_ms").asDouble()),
                    backend.path("ejected").asBoolean() ? "ejected" : "ok",
                    keys == 0 ? "-" : keys + (disabled > 0 ? " (" + disabled + " disabled)" : ""));
        }
        return table;
    }
}
