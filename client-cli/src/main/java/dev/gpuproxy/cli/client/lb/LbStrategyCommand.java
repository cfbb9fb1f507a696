package dev.gpuproxy.cli.client.lb;

import dev.gpuproxy.api.model.LbStrategy;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.LbStrategies;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import dev.gpuproxy.cli.common.output.Details;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows or sets the load-balancing strategy (of one of the caller's pools, or the default an admin may set). */
@Command(name = "lb-strategy",
        description = {"Show the load-balancing strategy, or set it by naming one.",
            "", "Strategies: round_robin, equal_weighted, weighted_round_robin, least_connections, "
                    + "least_response_time."},
        footer = {
            "  gpuproxy-client lb-strategy",
            "  gpuproxy-client lb-strategy least_connections",
            "  gpuproxy-client lb-strategy least_response_time --pool my-llama"
        })
public final class LbStrategyCommand extends ApiCommand {

    private static final String PATH = "/api/v1/loadbalancer/strategy";

    @Parameters(paramLabel = "<strategy>", arity = "0..1", description = "The strategy to use from now on.")
    String strategy;

    @Option(names = "--pool", paramLabel = "<name>", description = "One pool instead of the default.")
    String pool;

    @Override
    protected void execute() {
        if (strategy != null && LbStrategies.problem("<strategy>", strategy) != null) {
            throw usageError(LbStrategies.problem("<strategy>", strategy));
        }
        Reply<LbStrategy> answer = strategy == null
                ? api().get(PATH, ApiClient.body("pool", pool), LbStrategy.class)
                : api().put(PATH, ApiClient.body("strategy", strategy, "pool", pool), LbStrategy.class);
        if (output().isJson()) {
            output().json(answer.json());
            return;
        }
        output().details(new Details()
                .add("Strategy", answer.value().strategy())
                .add("Scope", answer.value().scope())
                .add("Pool", answer.value().pool()));
    }
}
