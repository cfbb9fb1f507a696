package dev.gpuproxy.cli.client.credits;

import dev.gpuproxy.api.model.Wallet;
import dev.gpuproxy.cli.common.ApiCommand;
import dev.gpuproxy.cli.common.http.Reply;
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
        Reply<Wallet> reply = api().get("/api/v1/credits", Wallet.class);
        if (output().isJson()) {
            output().json(reply.json());
            return;
        }
        Wallet wallet = reply.value();
        output().details(new Details()
                .add("Available", wallet.creditsAvailable())
                .add("Balance", wallet.creditsRemaining())
                .add("Held", wallet.creditsReserved())
                .add("Bought in all", wallet.creditsTotal())
                .add("Overage", wallet.creditsOverage())
                .add("Overage cap", wallet.creditsCap())
                .add("Auto-renew", wallet.creditsAutoRenew())
                .add("Auto-renew amount", wallet.autoRenewAmount())
                .add("Auto-renew below", wallet.autoRenewThreshold()));
    }
}
