package dev.gpuproxy.server.credit.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** Wallets and their ledger. Every query is scoped to one user. */
@ApplicationScoped
public class CreditRepository {

    private final Session session;

    CreditRepository(Session session) {
        this.session = session;
    }

    /** Creates the user's empty wallet unless it exists (safe when two requests race to create it). */
    public void ensureWallet(long userId, Instant now) {
        session.createNativeMutationQuery("insert into wallets (user_id, updated_at) values (:userId, :now)"
                        + " on conflict (user_id) do nothing")
                .setParameter("userId", userId)
                .setParameter("now", now)
                .executeUpdate();
    }

    /**
     * The wallet, locked for the rest of the transaction (SELECT ... FOR UPDATE on PostgreSQL; SQLite has a single
     * writer, so its one connection already serialises transactions).
     */
    public Optional<WalletEntity> lockWallet(long userId) {
        return Optional.ofNullable(session.find(WalletEntity.class, userId, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<WalletEntity> findWallet(long userId) {
        return Optional.ofNullable(session.find(WalletEntity.class, userId));
    }

    public Optional<LedgerEntryEntity> findByIdempotencyKey(String key) {
        return session.createSelectionQuery("from LedgerEntryEntity where idempotencyKey = :key", LedgerEntryEntity.class)
                .setParameter("key", key)
                .uniqueResultOptional();
    }

    public Optional<LedgerEntryEntity> findEntry(long userId, long entryId) {
        return session.createSelectionQuery("from LedgerEntryEntity where id = :id and userId = :userId",
                        LedgerEntryEntity.class)
                .setParameter("id", entryId)
                .setParameter("userId", userId)
                .uniqueResultOptional();
    }

    public void append(LedgerEntryEntity entry) {
        session.persist(entry);
    }

    /** The user's entries, newest first, before {@code beforeId} when given (keyset paging). */
    public List<LedgerEntryEntity> page(long userId, Long beforeId, int limit) {
        return session.createSelectionQuery("from LedgerEntryEntity where userId = :userId"
                        + (beforeId == null ? "" : " and id < :before") + " order by id desc", LedgerEntryEntity.class)
                .setParameter("userId", userId)
                .setProperties(beforeId == null ? java.util.Map.of() : java.util.Map.of("before", beforeId))
                .setMaxResults(limit)
                .getResultList();
    }

    /** Users whose wallet does not add up: stored balance != ledger sum. Each row: user id, balance, ledger sum. */
    public List<Object[]> walletsNotMatchingLedger() {
        return session.createNativeQuery("""
                        select w.user_id, w.credits_remaining - w.credits_overage, coalesce(l.total, 0)
                        from wallets w
                        left join (select user_id, sum(amount) as total from ledger_entries group by user_id) l
                          on l.user_id = w.user_id
                        where w.credits_remaining - w.credits_overage <> coalesce(l.total, 0)
                        order by w.user_id""", Object[].class)
                .getResultList();
    }

    public long countWallets() {
        return session.createSelectionQuery("select count(w) from WalletEntity w", Long.class).getSingleResult();
    }
}
