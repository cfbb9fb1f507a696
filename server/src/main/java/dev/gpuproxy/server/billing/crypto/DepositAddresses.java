package dev.gpuproxy.server.billing.crypto;

import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Where a payment is sent. With CRYPTO_XPUB every payment has an address of its own, {@code <xpub>/0/<payment id>}
 * (BIP32 public derivation, as BTCPay Server does), so a transfer to it can only pay that payment. Without it, every
 * payment shares CRYPTO_DEPOSIT_ADDRESS and a transfer is matched by its sender, the wallet the payment named.
 * Created at start ({@code @Startup}) so a malformed CRYPTO_XPUB stops the server before it takes a payment.
 */
@Startup
@ApplicationScoped
public class DepositAddresses {

    private final ExtendedPublicKey external;
    private final String shared;

    DepositAddresses(BillingConfig config) {
        BillingConfig.Crypto crypto = config.crypto();
        String xpub = crypto.xpub().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        this.external = xpub == null ? null : ExtendedPublicKey.parse(xpub).child(0);
        this.shared = crypto.depositAddress().map(a -> a.trim().toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty())
                .orElse(null);
        if (shared != null && !CryptoCurrencies.ADDRESS.matcher(shared).matches()) {
            throw new IllegalArgumentException("CRYPTO_DEPOSIT_ADDRESS must be a 0x address (40 hex digits)");
        }
        if (crypto.enabled() && external == null && shared == null) {
            throw new IllegalArgumentException("CRYPTO_ENABLED=true needs CRYPTO_XPUB (an address per payment) or"
                    + " CRYPTO_DEPOSIT_ADDRESS (one shared address)");
        }
        if (crypto.enabled()) {
            Log.infof("Crypto deposits: %s", perPayment() ? "an address per payment (CRYPTO_XPUB/0/<payment id>)"
                    + (shared != null ? "; CRYPTO_DEPOSIT_ADDRESS is not used" : "")
                    : "one shared address " + shared + ", matched by the payer's wallet");
        }
    }

    /** Whether each payment has its own address (CRYPTO_XPUB), else all share one. */
    public boolean perPayment() {
        return external != null;
    }

    /** Whether {@code address} is the shared CRYPTO_DEPOSIT_ADDRESS, where transfers are matched by their sender. */
    public boolean isShared(String address) {
        return shared != null && shared.equalsIgnoreCase(address);
    }

    /** The address payment {@code paymentId} is to be sent to. */
    public String forPayment(long paymentId) {
        return perPayment() ? external.child(paymentId).address() : shared;
    }
}
