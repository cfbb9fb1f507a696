package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.api.model.Pool;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.LbStrategies;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates a pool; clients reach it by its name or an alias as the {@code model}. */
@Command(name = "add", description = "Create a pool; clients use its name (or an alias) as the model.",
        footer = {
            "  gpuproxy-admin pools add llama-3-8b",
            "  gpuproxy-admin pools add llama-3-8b --strategy least_connections --alias meta-llama/Meta-Llama-3-8B"
        })
public final class AddPoolCommand extends AdminApiCommand {

    @Parameters(paramLabel = "<name>", description = "The pool's name.")
    String name;

    @Option(names = "--strategy", paramLabel = "<strategy>",
            description = "round_robin (default), equal_weighted, weighted_round_robin, least_connections or "
                    + "least_response_time.")
    String strategy;

    @Option(names = "--alias", paramLabel = "<model>", description = "Another model name that reaches this pool.")
    List<String> aliases;

    @Override
    protected void execute() {
        if (name.isBlank()) {
            throw usageError("the pool name must not be blank");
        }
        if (strategy != null && LbStrategies.problem("--strategy", strategy) != null) {
            throw usageError(LbStrategies.problem("--strategy", strategy));
        }
        Reply<Pool> pool = api().post(Lb.POOLS, ApiClient.body("name", name, "strategy", strategy, "aliases", aliases),
                Pool.class);
        if (output().isJson()) {
            output().json(pool.json());
        } else {
            output().table(Lb.poolTable(List.of(pool.value())));
        }
    }
}
