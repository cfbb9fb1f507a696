package dev.gpuproxy.cli.client.credits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.output.Details;
import picocli.CommandLine.Command;

/** Shows the caller's wallet. */
@Command(name = "credits",
        description = "Show your credits: balance, holds, what is available and auto-renew.",
        footer = {
            "  gpuproxy-client credits",
            "  gpuproxy-client credits --format json | jq -r .credits_available"
        })
public final class CreditsCommand extends ApiCommand {

    @Override
    protected void execute() {
        JsonNode wallet = api().get("/api/v1/credits");
        if (output().isJson()) {
            output().json(wallet);
            return;
        }
        output().details(new Details()
                .field("Available", wallet, "credits_available")
                .field("Balance", wallet, "credits_remaining")
                .field("Held", wallet, "credits_reserved")
                .field("Bought in all", wallet, "credits_total")
                .field("Overage", wallet, "credits_overage")
                .field("Overage cap", wallet, "credits_cap")
                .field("Auto-renew", wallet, "credits_auto_renew")
                .field("Auto-renew amount", wallet, "auto_renew_amount")
                .field("Auto-renew below", wallet, "auto_renew_threshold"));
    }
}
