package dev.gpuproxy.cli.client.gpu;

import dev.gpuproxy.api.model.GpuInstance;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import dev.gpuproxy.cli.common.http.Reply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Releases one of the caller's instances; releasing an ended one again answers its final state. */
@Command(name = "destroy",
        description = "Release a rented instance and show its final state.",
        footer = {
            "  gpuproxy-client destroy static box-a100",
            "  gpuproxy-client instances --format json | jq -r '.instances[] | \"\\(.provider) \\(.provider_instance_id)\"'"
                    + " | xargs -n2 gpuproxy-client destroy"
        })
public final class DestroyCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<provider>", description = "The instance's provider.")
    String provider;

    @Parameters(index = "1", paramLabel = "<instance-id>",
            description = "The provider's instance id (INSTANCE in 'instances').")
    String instanceId;

    @Override
    protected void execute() {
        Reply<GpuInstance> instance = api().delete(Offers.INSTANCES + "/" + ApiClient.segment(provider) + "/"
                + ApiClient.segment(instanceId), GpuInstance.class);
        if (output().isJson()) {
            output().json(instance.json());
        } else {
            output().details(Offers.instanceDetails(instance.value()));
        }
    }
}
