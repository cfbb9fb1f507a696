package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.repository.CreditRepository;
import dev.gpuproxy.server.credit.repository.LedgerEntryEntity;
import dev.gpuproxy.server.credit.repository.WalletEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The only place money moves. Every change is one ledger entry written with the wallet update in one transaction,
 * under a lock on the wallet row, and guarded by a unique idempotency key: replaying a key returns the first entry and
 * changes nothing. Holds ({@link #reserve}) are ledger entries too, so the wallet always equals the sum of its ledger.
 */
@ApplicationScoped
@Transactional
public class CreditService {

    public enum Kind {
        TOPUP, USAGE, RESERVATION, REFUND, GRANT, ADJUSTMENT;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome of charging post-paid usage: the entry, and whether the owner is now beyond the overage cap. */
    public record Charge(LedgerEntryView entry, boolean pastCap) {}

    /** The outcome of settling a hold: what was charged, and the balance after. */
    public record Settlement(long holdId, long chargedMicros, long balanceAfterMicros, boolean replayed) {}

    private final CreditRepository repository;
    private final Clock clock;
    private final Event<AutoRenewRequested> autoRenew;
    private final Event<CreditChanged> changed;

    CreditService(CreditRepository repository, Clock clock, Event<AutoRenewRequested> autoRenew,
                  Event<CreditChanged> changed) {
        this.repository = repository;
        this.clock = clock;
        this.autoRenew = autoRenew;
        this.changed = changed;
    }

    /** Creates the user's empty wallet if it does not exist yet. */
    public void openWallet(long userId) {
        repository.ensureWallet(userId, clock.instant());
    }

    @Transactional
    public WalletView wallet(long userId) {
        return repository.findWallet(userId).map(WalletView::of).orElseGet(() -> {
            WalletEntity empty = new WalletEntity();
            empty.userId = userId;
            return WalletView.of(empty);
        });
    }

    @Transactional
    public List<LedgerEntryView> ledger(long userId, Long beforeId, int limit) {
        return repository.page(userId, beforeId, limit).stream().map(LedgerEntryView::of).toList();
    }

    /** Adds credits bought (topup) or given (grant); {@code micros} must be positive. */
    public LedgerEntryView add(long userId, Kind kind, long micros, String reference, String idempotencyKey) {
        if (kind != Kind.TOPUP && kind != Kind.GRANT && kind != Kind.REFUND) {
            throw new IllegalArgumentException("add() takes topup, grant or refund, not " + kind);
        }
        if (micros <= 0) {
            throw ApiException.badRequest("amount must be greater than zero");
        }
        return LedgerEntryView.of(apply(userId, kind, micros, reference, idempotencyKey).entry);
    }

    /** An operator's correction, either sign; it may take a wallet into overage beyond the cap. */
    public LedgerEntryView adjust(long userId, long micros, String reference, String idempotencyKey) {
        if (micros == 0) {
            throw ApiException.badRequest("amount must not be zero");
        }
        return LedgerEntryView.of(apply(userId, Kind.ADJUSTMENT, micros, reference, idempotencyKey).entry);
    }

    /**
     * Sets credits aside before work starts.
     *
     * @throws InsufficientCreditsException (402) when balance plus overage cap cannot cover {@code micros}
     */
    public Hold reserve(long userId, long micros, String reference, String idempotencyKey) {
        if (micros <= 0) {
            throw ApiException.badRequest("estimate must be greater than zero");
        }
        Applied applied = apply(userId, Kind.RESERVATION, -micros, reference, idempotencyKey);
        return new Hold(applied.entry.id, userId, micros, Credits.toDecimal(applied.entry.balanceAfter));
    }

    /** Ends a hold with the actual cost: the hold is refunded and the actual cost charged. Settling twice is a replay. */
    public Settlement settle(long userId, long holdId, long actualMicros) {
        if (actualMicros < 0) {
            throw ApiException.badRequest("actual cost must not be negative");
        }
        return finish(userId, holdId, actualMicros);
    }

    /** Releases the hold created with {@code idempotencyKey}, if there is one and it is still open. */
    public void releaseByKey(long userId, String idempotencyKey) {
        repository.findByIdempotencyKey(idempotencyKey)
                .filter(entry -> entry.userId == userId && Kind.RESERVATION.column().equals(entry.kind))
                .ifPresent(hold -> finish(userId, hold.id, 0));
    }

    /** Ends a hold without charging (the work failed). */
    public Settlement release(long userId, long holdId) {
        return finish(userId, holdId, 0);
    }

    /**
     * Charges usage that already happened (metering, GPU time). It is never refused, since the work is done; the
     * result says whether the owner is now beyond the overage cap, so the caller can stop further work.
     */
    public Charge chargeUsage(long userId, long micros, String reference, String idempotencyKey) {
        if (micros < 0) {
            throw ApiException.badRequest("usage must not be negative");
        }
        Applied applied = apply(userId, Kind.USAGE, -micros, reference, idempotencyKey);
        return new Charge(LedgerEntryView.of(applied.entry), applied.wallet.spendable() < 0);
    }

    /** Changes the overage cap and auto-renew settings of a wallet. */
    public WalletView configure(long userId, Long capMicros, Boolean autoRenewOn, Long renewAmountMicros,
                                Long renewThresholdMicros) {
        WalletEntity wallet = lockedWallet(userId);
        if (capMicros != null) {
            wallet.creditsCap = capMicros;
        }
        if (autoRenewOn != null) {
            wallet.autoRenew = autoRenewOn;
        }
        if (renewAmountMicros != null) {
            wallet.autoRenewAmount = renewAmountMicros;
        }
        if (renewThresholdMicros != null) {
            wallet.autoRenewThreshold = renewThresholdMicros;
        }
        if (wallet.autoRenew && wallet.autoRenewAmount <= 0) {
            throw ApiException.badRequest("auto_renew_amount must be greater than zero when auto-renew is on");
        }
        wallet.autoRenewArmed = wallet.balance() >= wallet.autoRenewThreshold;
        wallet.updatedAt = clock.instant();
        return WalletView.of(wallet);
    }

    private Settlement finish(long userId, long holdId, long actualMicros) {
        WalletEntity wallet = lockedWallet(userId);
        LedgerEntryEntity hold = repository.findEntry(userId, holdId)
                .filter(entry -> Kind.RESERVATION.column().equals(entry.kind))
                .orElseThrow(() -> ApiException.notFound("No credit hold " + holdId));
        String releaseKey = "hold:" + holdId + ":release";
        Optional<LedgerEntryEntity> earlier = repository.findByIdempotencyKey(releaseKey);
        if (earlier.isPresent()) {
            long charged = repository.findByIdempotencyKey("hold:" + holdId + ":usage").map(e -> -e.amount).orElse(0L);
            return new Settlement(holdId, charged, wallet.balance(), true);
        }
        long held = -hold.amount;
        append(wallet, Kind.REFUND, held, "hold " + holdId, releaseKey);
        wallet.creditsReserved -= held;
        if (actualMicros > 0) {
            append(wallet, Kind.USAGE, -actualMicros, hold.reference, "hold:" + holdId + ":usage");
        }
        afterChange(wallet, -actualMicros + held);
        return new Settlement(holdId, actualMicros, wallet.balance(), false);
    }

    private record Applied(LedgerEntryEntity entry, WalletEntity wallet) {}

    private Applied apply(long userId, Kind kind, long micros, String reference, String idempotencyKey) {
        WalletEntity wallet = lockedWallet(userId);
        // Under the wallet lock, so a concurrent replay of the same key waits here and then finds the first entry.
        Optional<LedgerEntryEntity> earlier = repository.findByIdempotencyKey(idempotencyKey);
        if (earlier.isPresent()) {
            LedgerEntryEntity first = earlier.get();
            if (first.userId != userId || !first.kind.equals(kind.column()) || first.amount != micros) {
                throw ApiException.conflict("idempotency_key_reused",
                        "This idempotency key was already used for a different operation");
            }
            return new Applied(first, wallet);
        }
        if (kind == Kind.RESERVATION && -micros > wallet.spendable()) {
            throw new InsufficientCreditsException(-micros, wallet.spendable());
        }
        LedgerEntryEntity entry = append(wallet, kind, micros, reference, idempotencyKey);
        if (kind == Kind.RESERVATION) {
            wallet.creditsReserved += -micros;
        }
        if (micros > 0 && (kind == Kind.TOPUP || kind == Kind.GRANT)) {
            wallet.creditsTotal += micros;
        }
        afterChange(wallet, micros);
        return new Applied(entry, wallet);
    }

    private LedgerEntryEntity append(WalletEntity wallet, Kind kind, long micros, String reference,
                                     String idempotencyKey) {
        wallet.setBalance(Math.addExact(wallet.balance(), micros));
        wallet.version++;
        wallet.updatedAt = clock.instant();
        LedgerEntryEntity entry = new LedgerEntryEntity();
        entry.userId = wallet.userId;
        entry.amount = micros;
        entry.kind = kind.column();
        entry.reference = reference;
        entry.idempotencyKey = idempotencyKey;
        entry.balanceAfter = wallet.balance();
        entry.createdAt = wallet.updatedAt;
        repository.append(entry);
        changed.fire(new CreditChanged(wallet.userId, Map.of("kind", entry.kind, "change", Credits.toDecimal(micros),
                "balance", Credits.toDecimal(wallet.balance()), "available", Credits.toDecimal(wallet.spendable()))));
        return entry;
    }

    /** Arms or fires auto-renew: once per fall below the threshold, re-armed when the balance is back above it. */
    private void afterChange(WalletEntity wallet, long delta) {
        if (!wallet.autoRenew) {
            return;
        }
        if (wallet.balance() >= wallet.autoRenewThreshold) {
            wallet.autoRenewArmed = true;
        } else if (delta < 0 && wallet.autoRenewArmed) {
            wallet.autoRenewArmed = false;
            autoRenew.fire(new AutoRenewRequested(wallet.userId, wallet.autoRenewAmount, wallet.balance()));
        }
    }

    private WalletEntity lockedWallet(long userId) {
        return repository.lockWallet(userId).orElseGet(() -> {
            repository.ensureWallet(userId, clock.instant());
            return repository.lockWallet(userId)
                    .orElseThrow(() -> ApiException.notFound("No wallet for user " + userId));
        });
    }
}
