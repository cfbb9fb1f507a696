package dev.gpuproxy.cli.client.gpu;

import dev.gpuproxy.api.model.GpuInstance;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Rents one offer; the first hour is authorized against the caller's credits. */
@Command(name = "create",
        description = {"Rent a GPU offer (see 'list') and show the new instance.",
            "", "The first hour is held from your credits; running time is charged per minute."},
        footer = {
            "  gpuproxy-client create static box-a100",
            "  gpuproxy-client create vastai 123456 --image vllm/vllm-openai:latest --port 8000 --env HF_TOKEN=hf_x"
        })
public final class CreateCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<provider>",
            description = "The offer's provider, as 'list' shows it (vast.ai and io.net work too).")
    String provider;

    @Parameters(index = "1", paramLabel = "<offer-id>", description = "The offer's id, as 'list' shows it.")
    String offerId;

    @Option(names = "--image", paramLabel = "<image>", description = "Container image to run (default: the server's GPU_DEFAULT_IMAGE, an inference server).")
    String image;

    @Option(names = "--env", paramLabel = "<NAME=value>", description = "Environment variable for the container.")
    Map<String, String> env;

    @Option(names = "--port", paramLabel = "<port>",
            description = "Container port to publish; the first becomes the endpoint.")
    List<Integer> ports;

    @Option(names = "--disk-gb", paramLabel = "<GB>", description = "Disk size (default: the provider's).")
    Integer diskGb;

    @Option(names = "--label", paramLabel = "<name>", description = "A name for the instance at the provider.")
    String label;

    @Override
    protected void execute() {
        if (ports != null && ports.stream().anyMatch(port -> port < 1 || port > 65535)) {
            throw usageError("--port must be between 1 and 65535 (got " + ports + ")");
        }
        if (diskGb != null && diskGb < 1) {
            throw usageError("--disk-gb must be at least 1 (got " + diskGb + ")");
        }
        Reply<GpuInstance> instance = api().post(Offers.INSTANCES + "/" + ApiClient.segment(provider) + "/"
                + ApiClient.segment(offerId), ApiClient.body("image", image, "env", env, "ports", ports,
                "disk_gb", diskGb, "label", label), GpuInstance.class);
        if (output().isJson()) {
            output().json(instance.json());
            return;
        }
        GpuInstance created = instance.value();
        output().details(Offers.instanceDetails(created));
        output().note("Release it with '" + toolName() + " destroy " + orDash(created.provider()) + " "
                + orDash(created.providerInstanceId()) + "'.");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
