package dev.gpuproxy.cli.admin.lb;

import dev.gpuproxy.cli.admin.AdminApiCommand;
import dev.gpuproxy.cli.common.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Removes one backend from its pool. */
@Command(name = "remove", description = "Remove a backend (see 'backends list' for ids).",
        footer = {"  gpuproxy-admin backends remove 7"})
public final class RemoveBackendCommand extends AdminApiCommand {

    @Parameters(paramLabel = "<id>", description = "The backend's id.")
    long id;

    @Override
    protected void execute() {
        api().delete(Lb.BACKENDS + "/" + id);
        output().note("Removed backend " + id + ".");
    }
}
