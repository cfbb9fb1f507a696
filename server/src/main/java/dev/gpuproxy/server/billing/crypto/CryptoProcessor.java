package dev.gpuproxy.server.billing.crypto;

import dev.gpuproxy.server.billing.service.PaymentOrder;
import dev.gpuproxy.server.billing.service.PaymentProcessor;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStart;
import dev.gpuproxy.server.billing.service.PreferredPayment;
import dev.gpuproxy.server.billing.service.Pricing;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Payments in ETH or an accepted ERC-20 token: the client is told where to send how much, then submits the
 * transaction hash to {@code POST /api/v1/billing/crypto/verify} ({@link CryptoPayments}).
 */
@ApplicationScoped
public class CryptoProcessor implements PaymentProcessor {

    private final BillingConfig.Crypto config;
    private final CryptoCurrencies currencies;
    private final Pricing pricing;
    private final String depositAddress;

    CryptoProcessor(BillingConfig config, CryptoCurrencies currencies, Pricing pricing) {
        this.config = config.crypto();
        this.currencies = currencies;
        this.pricing = pricing;
        this.depositAddress = this.config.depositAddress().map(a -> a.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (this.config.enabled() && (depositAddress == null || !CryptoCurrencies.ADDRESS.matcher(depositAddress).matches())) {
            throw new IllegalArgumentException("CRYPTO_DEPOSIT_ADDRESS must be a 0x address (40 hex digits) when"
                    + " CRYPTO_ENABLED=true");
        }
        if (this.config.confirmations() < 1) {
            throw new IllegalArgumentException("CRYPTO_CONFIRMATIONS must be at least 1");
        }
    }

    @Override
    public PaymentProvider provider() {
        return PaymentProvider.CRYPTO;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    public String depositAddress() {
        return depositAddress;
    }

    @Override
    public Quote quote(BigDecimal amount, String currency) {
        CryptoCurrencies.Currency coin = currencies.find(currency).orElseThrow(() -> ApiException.badRequest(
                "currency must be one of " + currencies.symbols() + " for crypto payments"));
        BigDecimal checked = Pricing.checkAmount(amount, coin.decimals(), coin.symbol());
        return new Quote(checked, coin.symbol(), pricing.credits(checked, coin.symbol()));
    }

    /** The payer's wallet must be on this server's chain: {@code ethereum}, {@code eth} or the chain id. */
    @Override
    public void checkPreferred(PreferredPayment preferred) {
        if (preferred instanceof PreferredPayment.CryptoWallet wallet
                && !List.of("ethereum", "eth", String.valueOf(config.chainId())).contains(wallet.network())) {
            throw ApiException.badRequest("X-Preferred-Payment network must be ethereum, eth or "
                    + config.chainId() + " (the chain payments are taken on)");
        }
    }

    /** The amount in the currency's smallest unit (wei for ETH). */
    public BigInteger baseUnits(BigDecimal amount, CryptoCurrencies.Currency coin) {
        return amount.movePointRight(coin.decimals()).toBigIntegerExact();
    }

    @Override
    public PaymentStart start(PaymentOrder order) {
        CryptoCurrencies.Currency coin = currencies.find(order.currency()).orElseThrow();
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("type", "send_crypto");
        next.put("payment_id", order.paymentId());
        next.put("deposit_address", depositAddress);
        next.put("chain_id", config.chainId());
        next.put("currency", coin.symbol());
        next.put("amount", order.amount().toPlainString());
        next.put("amount_base_units", baseUnits(order.amount(), coin).toString());
        if (coin.isToken()) {
            next.put("token_contract", coin.contract());
            next.put("token_decimals", coin.decimals());
        }
        next.put("required_confirmations", config.confirmations());
        next.put("verify", "POST /api/v1/billing/crypto/verify {\"payment_id\":" + order.paymentId() + ",\"tx_hash\":\"0x...\"}");
        return PaymentStart.pending(null, next);
    }
}
