package dev.gpuproxy.server.billing.crypto;

import dev.gpuproxy.server.billing.service.PaymentOrder;
import dev.gpuproxy.server.billing.service.PaymentProcessor;
import dev.gpuproxy.server.billing.service.PaymentProvider;
import dev.gpuproxy.server.billing.service.PaymentStart;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.billing.service.PreferredPayment;
import dev.gpuproxy.server.billing.service.Pricing;
import dev.gpuproxy.server.billing.service.ProcessorFailure;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Payments in ETH or an accepted ERC-20 token, priced in USD, any currency of CRYPTO_USD_RATES, or the coin itself: the
 * client is told where to send how much of which coin until when, then submits the transaction hash to
 * {@code POST /api/v1/billing/crypto/verify} ({@link CryptoPayments}).
 */
@ApplicationScoped
public class CryptoProcessor implements PaymentProcessor {

    /** Places of a price that is not a coin (USD, EUR, ...). */
    static final int PRICE_DECIMALS = 2;
    /** Places a converted coin amount is rounded up to (fewer when the token has fewer): easy to type, under 1e-8 over. */
    static final int QUOTE_DECIMALS = 8;

    private final BillingConfig.Crypto config;
    private final CryptoCurrencies currencies;
    private final Pricing pricing;
    private final DepositAddresses deposits;
    private final CryptoWallets wallets;
    private final Clock clock;

    CryptoProcessor(BillingConfig config, CryptoCurrencies currencies, Pricing pricing, DepositAddresses deposits,
                    CryptoWallets wallets, Clock clock) {
        this.config = config.crypto();
        this.currencies = currencies;
        this.pricing = pricing;
        this.deposits = deposits;
        this.wallets = wallets;
        this.clock = clock;
        if (this.config.confirmations() < 1) {
            throw new IllegalArgumentException("CRYPTO_CONFIRMATIONS must be at least 1");
        }
        if (this.config.quoteTtl().isNegative() || this.config.quoteTtl().isZero()) {
            throw new IllegalArgumentException("CRYPTO_QUOTE_TTL must be longer than zero");
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

    @Override
    public Quote quote(BigDecimal amount, String currency) {
        return quote(amount, currency, null);
    }

    /**
     * Prices {@code amount} of {@code currency} (USD, a currency of CRYPTO_USD_RATES, or a coin) in the coin to send:
     * {@code payCurrency}, else the price's own coin, else ETH. The coin amount is {@code amount x rate(currency) /
     * rate(coin)} rounded up; the credits are those of the price.
     */
    @Override
    public Quote quote(BigDecimal amount, String currency, String payCurrency) {
        Optional<CryptoCurrencies.Currency> priceCoin = currencies.find(currency);
        String price = currency == null ? "" : currency.trim().toUpperCase(Locale.ROOT);
        if (priceCoin.isEmpty() && (price.isEmpty() || pricing.usdRate(price).isEmpty())) {
            throw ApiException.badRequest("currency must be USD, a currency of CRYPTO_USD_RATES, or one of "
                    + currencies.symbols() + " for crypto payments");
        }
        CryptoCurrencies.Currency coin = payCurrency == null || payCurrency.isBlank()
                ? priceCoin.orElse(CryptoCurrencies.ETH)
                : currencies.find(payCurrency).orElseThrow(() -> ApiException.badRequest(
                        "pay_currency must be one of " + currencies.symbols()));
        BigDecimal checked = Pricing.checkAmount(amount, priceCoin.map(CryptoCurrencies.Currency::decimals)
                .orElse(PRICE_DECIMALS), price);
        long credits = pricing.credits(checked, price);
        BigDecimal coinAmount = checked;
        if (!coin.symbol().equals(price)) {
            BigDecimal coinRate = pricing.usdRate(coin.symbol()).orElseThrow(() -> ApiException.badRequest(
                    coin.symbol() + " has no configured rate (CRYPTO_USD_RATES), so it cannot pay a price in " + price));
            coinAmount = convert(checked, pricing.usdRate(price).orElseThrow(), coinRate, coin.decimals());
        }
        return new Quote(checked, priceCoin.map(CryptoCurrencies.Currency::symbol).orElse(price), credits,
                new CoinQuote(coin.symbol(), coinAmount, config.quoteTtl()));
    }

    /**
     * {@code amount} at {@code priceRate} US dollars each, in a coin worth {@code coinRate} US dollars, rounded up (the
     * operator never receives less than the price) to {@link #QUOTE_DECIMALS} places or the coin's own, if fewer.
     */
    static BigDecimal convert(BigDecimal amount, BigDecimal priceRate, BigDecimal coinRate, int coinDecimals) {
        BigDecimal converted = amount.multiply(priceRate)
                .divide(coinRate, Math.min(coinDecimals, QUOTE_DECIMALS), RoundingMode.UP).stripTrailingZeros();
        return converted.scale() < 0 ? converted.setScale(0) : converted;
    }

    /**
     * The payer's wallet must be on this server's chain ({@code ethereum}, {@code eth} or the chain id); with one shared
     * deposit address a wallet must be named, since transfers are matched by their sender.
     */
    @Override
    public void checkPreferred(PreferredPayment preferred) {
        if (preferred instanceof PreferredPayment.CryptoWallet wallet
                && !List.of("ethereum", "eth", String.valueOf(config.chainId())).contains(wallet.network())) {
            throw ApiException.badRequest("X-Preferred-Payment network must be ethereum, eth or "
                    + config.chainId() + " (the chain payments are taken on)");
        }
        if (!deposits.perPayment() && !(preferred instanceof PreferredPayment.CryptoWallet)) {
            throw new ApiException(400, "payer_wallet_required", "This server takes crypto payments at one shared"
                    + " address, so a payment must name the wallet it will be sent from:"
                    + " X-Preferred-Payment: crypto:ethereum:<0x wallet>");
        }
    }

    /** The amount in the currency's smallest unit (wei for ETH). */
    public BigInteger baseUnits(BigDecimal amount, CryptoCurrencies.Currency coin) {
        return amount.movePointRight(coin.decimals()).toBigIntegerExact();
    }

    @Override
    public PaymentStart start(PaymentOrder order) {
        if (!deposits.perPayment() && order.preferred() instanceof PreferredPayment.CryptoWallet wallet) {
            long owner = QuarkusTransaction.requiringNew()
                    .call(() -> wallets.claim(wallet.address(), order.userId(), clock.instant()));
            if (owner != order.userId()) {
                throw new ProcessorFailure(409, "wallet_in_use", "Wallet " + wallet.address() + " belongs to another"
                        + " account here; pay from a wallet of your own", false);
            }
        }
        PaymentOrder.Coin quoted = order.coin() != null ? order.coin()
                : new PaymentOrder.Coin(order.currency(), order.amount(), null);
        CryptoCurrencies.Currency coin = currencies.find(quoted.currency()).orElseThrow();
        String address = deposits.forPayment(order.paymentId());
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("type", "send_crypto");
        next.put("payment_id", order.paymentId());
        next.put("deposit_address", address);
        if (deposits.perPayment()) {
            next.put("deposit_index", order.paymentId());
        }
        next.put("chain_id", config.chainId());
        next.put("currency", coin.symbol());
        next.put("amount", quoted.amount().toPlainString());
        next.put("amount_base_units", baseUnits(quoted.amount(), coin).toString());
        if (coin.isToken()) {
            next.put("token_contract", coin.contract());
            next.put("token_decimals", coin.decimals());
        }
        next.put("price", Map.of("amount", order.amount().toPlainString(), "currency", order.currency()));
        if (quoted.expiresAt() != null) {
            next.put("expires_at", quoted.expiresAt().toString());
        }
        next.put("required_confirmations", config.confirmations());
        next.put("verify", "POST /api/v1/billing/crypto/verify {\"payment_id\":" + order.paymentId() + ",\"tx_hash\":\"0x...\"}");
        return new PaymentStart(null, address, PaymentStatus.PENDING, next, null);
    }
}
