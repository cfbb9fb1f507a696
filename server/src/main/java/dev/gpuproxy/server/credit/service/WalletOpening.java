package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.identity.account.service.AccountCreated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Every new account gets its empty wallet, in the transaction that creates the account. */
@ApplicationScoped
class WalletOpening {

    private final CreditService credits;

    WalletOpening(CreditService credits) {
        this.credits = credits;
    }

    void open(@Observes AccountCreated created) {
        credits.openWallet(created.userId());
    }
}
