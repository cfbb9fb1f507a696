package dev.gpuproxy.server.billing.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Which account a paying wallet belongs to ({@code crypto_wallets}): the first that names it. At one shared deposit
 * address a transfer is matched to a payment by its sender, so a wallet must not be nameable by two accounts — else
 * anyone who sees a victim's transfer in the mempool could name the victim's wallet and claim it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CryptoWallets {

    private final Session session;

    CryptoWallets(Session session) {
        this.session = session;
    }

    /**
     * Records {@code address} for {@code userId} unless an account has it already; concurrent claims are serialised by
     * the primary key.
     *
     * @return the account the wallet belongs to after the call
     */
    public long claim(String address, long userId, Instant now) {
        session.createNativeMutationQuery("insert into crypto_wallets (address, user_id, created_at)"
                        + " values (:address, :userId, :now) on conflict do nothing")
                .setParameter("address", address)
                .setParameter("userId", userId)
                .setParameter("now", now)
                .executeUpdate();
        return owner(address).orElseThrow();
    }

    /** The account the wallet belongs to, if any has named it. */
    public Optional<Long> owner(String address) {
        return session.createNativeQuery("select user_id from crypto_wallets where address = :address", Long.class)
                .setParameter("address", address)
                .uniqueResultOptional();
    }
}
