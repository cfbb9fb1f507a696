package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.api.model.Backend;
import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Adds a backend to a pool. Upstream API keys are read from standard input (one per line) with
 * {@code --keys-from-stdin}, so they stay out of the shell history; the server stores them encrypted.
 */
@Command(name = "add", description = {"Add a backend (an OpenAI-compatible or Anthropic endpoint) to a pool.",
            "", "Upstream keys come one per line on standard input with --keys-from-stdin; they are shown masked."},
        footer = {
            "  gpuproxy-admin backends add llama-3-8b openai http://10.0.0.5:8000/v1 --weight 2 --gpu-model A100",
            "  gpuproxy-admin backends add nvidia openai https://integrate.api.nvidia.com/v1 --keys-from-stdin"
                    + " --rate-limit-rpm 40 < nvidia-keys.txt"
        })
public final class AddBackendCommand extends AdminApiCommand {

    @Parameters(index = "0", paramLabel = "<pool>", description = "The pool's name.")
    String pool;

    @Parameters(index = "1", paramLabel = "<kind>", description = "openai, anthropic, ...")
    String kind;

    @Parameters(index = "2", paramLabel = "<url>", description = "Base URL, such as http://10.0.0.5:8000/v1.")
    String url;

    @Option(names = "--keys-from-stdin", description = "Read the backend's API keys from stdin, one per line.")
    boolean keysFromStdin;

    @Option(names = "--weight", paramLabel = "<w>", description = "Share for weighted strategies (default 1).")
    Double weight;

    @Option(names = "--rate-limit-rpm", paramLabel = "<n>", description = "Requests per minute per key.")
    Integer rateLimitRpm;

    @Option(names = "--gpu-model", paramLabel = "<model>", description = "GPU behind it, for weighting.")
    String gpuModel;

    @Option(names = "--vram-gb", paramLabel = "<GB>", description = "GPU memory behind it, for weighting.")
    Integer vramGb;

    @Option(names = "--price-per-hour", paramLabel = "<USD>", description = "What it costs, for weighting.")
    BigDecimal pricePerHour;

    @Option(names = "--health-path", paramLabel = "<path>", description = "Path probed for health.")
    String healthPath;

    @Override
    protected void execute() {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw usageError("the url must start with http:// or https:// (got '" + url + "')");
        }
        if (weight != null && weight <= 0) {
            throw usageError("--weight must be positive (got " + weight + ")");
        }
        List<String> keys = null;
        if (keysFromStdin) {
            keys = new ArrayList<>();
            for (String line = environment().readStdinLine(); line != null; line = environment().readStdinLine()) {
                if (!line.isBlank()) {
                    keys.add(line.strip());
                }
            }
            if (keys.isEmpty()) {
                throw usageError("--keys-from-stdin was given but standard input held no keys");
            }
        }
        Reply<Backend> backend = api().post(Lb.BACKENDS, ApiClient.body("pool", pool, "kind", kind, "url", url,
                "api_keys", keys, "weight", weight, "rate_limit_rpm", rateLimitRpm, "gpu_model", gpuModel,
                "vram_gb", vramGb, "price_per_hour", pricePerHour, "health_path", healthPath), Backend.class);
        if (output().isJson()) {
            output().json(backend.json());
        } else {
            output().table(Lb.backendTable(List.of(backend.value())));
        }
    }
}
