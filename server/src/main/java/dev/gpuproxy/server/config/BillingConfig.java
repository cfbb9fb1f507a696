package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Payments: how money becomes credits (CREDITS_PER_USD) and the three processors (STRIPE_*, CRYPTO_*, AFTERDARK_*).
 * A processor without its credentials is simply not offered; choosing it answers 503.
 */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {

    /** CREDITS_PER_USD: credits granted for one US dollar paid (default 1). */
    @WithDefault("${CREDITS_PER_USD:1}")
    BigDecimal creditsPerUsd();

    Stripe stripe();

    Crypto crypto();

    @WithName("afterdark")
    AfterDark afterDark();

    /** Stripe through stripe-java: Checkout Sessions, PaymentIntents for saved methods, signed webhooks. */
    interface Stripe {

        /** STRIPE_SECRET_KEY: the account's secret key (sk_...; never logged); unset = Stripe is not offered. */
        @WithDefault("${STRIPE_SECRET_KEY:}")
        Optional<String> secretKey();

        /** STRIPE_WEBHOOK_SECRET: the whsec_... key that signs webhook deliveries; unset = webhooks are refused. */
        @WithDefault("${STRIPE_WEBHOOK_SECRET:}")
        Optional<String> webhookSecret();

        /** STRIPE_API_BASE: base URL of Stripe's API (default https://api.stripe.com). */
        @WithDefault("${STRIPE_API_BASE:https://api.stripe.com}")
        String apiBase();

        /** STRIPE_SUCCESS_URL: where Checkout sends the payer after paying. */
        @WithDefault("${STRIPE_SUCCESS_URL:http://localhost:8080/admin/?payment=success}")
        String successUrl();

        /** STRIPE_CANCEL_URL: where Checkout sends the payer who gives up. */
        @WithDefault("${STRIPE_CANCEL_URL:http://localhost:8080/admin/?payment=canceled}")
        String cancelUrl();

        /** STRIPE_TIMEOUT: connect and read timeout of one call to Stripe (default 20s). */
        @WithDefault("${STRIPE_TIMEOUT:20s}")
        Duration timeout();

        /** STRIPE_MAX_RETRIES: network retries of one call (same idempotency key; default 2). */
        @WithDefault("${STRIPE_MAX_RETRIES:2}")
        int maxRetries();
    }

    /** Ethereum payments checked on chain with web3j: ETH, or ERC-20 tokens listed in CRYPTO_TOKENS. */
    interface Crypto {

        /** CRYPTO_ENABLED: offer crypto payments (default false). */
        @WithDefault("${CRYPTO_ENABLED:false}")
        boolean enabled();

        /** CRYPTO_RPC_URL: JSON-RPC endpoint of an Ethereum node. */
        @WithDefault("${CRYPTO_RPC_URL:http://127.0.0.1:8545}")
        String rpcUrl();

        /** CRYPTO_CHAIN_ID: the chain payments must be made on (1 = Ethereum mainnet). */
        @WithDefault("${CRYPTO_CHAIN_ID:1}")
        long chainId();

        /**
         * CRYPTO_XPUB: the operator's account-level extended public key (xpub..., BIP32; e.g. of m/44'/60'/0'). Payment
         * n is paid to its own address {@code <xpub>/0/n}, so a transfer names its payment. Never a private key.
         */
        @WithDefault("${CRYPTO_XPUB:}")
        Optional<String> xpub();

        /**
         * CRYPTO_DEPOSIT_ADDRESS: without CRYPTO_XPUB, the one address every payment is sent to (0x + 40 hex); then a
         * payment names the paying wallet (X-Preferred-Payment) and only that wallet's transfers pay it.
         */
        @WithDefault("${CRYPTO_DEPOSIT_ADDRESS:}")
        Optional<String> depositAddress();

        /** CRYPTO_QUOTE_TTL: how long a quoted coin amount stays valid; a later block is refused (default 15m). */
        @WithDefault("${CRYPTO_QUOTE_TTL:15m}")
        Duration quoteTtl();

        /** CRYPTO_CONFIRMATIONS: blocks (including the transaction's own) before a payment counts (default 12). */
        @WithDefault("${CRYPTO_CONFIRMATIONS:12}")
        int confirmations();

        /** CRYPTO_TOKENS: accepted ERC-20 tokens, {@code SYMBOL:contract:decimals} separated by commas. */
        @WithDefault("${CRYPTO_TOKENS:}")
        Optional<String> tokens();

        /** CRYPTO_USD_RATES: US dollars per unit of each currency, {@code SYMBOL:rate} separated by commas. */
        @WithDefault("${CRYPTO_USD_RATES:}")
        Optional<String> usdRates();

        /** CRYPTO_RECHECK_INTERVAL: how often payments short of confirmations are checked again (default 30s). */
        @WithDefault("${CRYPTO_RECHECK_INTERVAL:30s}")
        String recheckInterval();

        /** CRYPTO_RPC_TIMEOUT: longest wait for one answer of the node (default 10s). */
        @WithDefault("${CRYPTO_RPC_TIMEOUT:10s}")
        Duration rpcTimeout();
    }

    /** AfterDark invoicing: charges an account on file through its checkout endpoint. */
    interface AfterDark {

        /** AFTERDARK_API_URL: base URL of the AfterDark billing API. */
        @WithDefault("${AFTERDARK_API_URL:https://billing.afterdarksys.com}")
        String apiUrl();

        /** AFTERDARK_API_KEY: bearer key of the operator's AfterDark account (never logged); unset = not offered. */
        @WithDefault("${AFTERDARK_API_KEY:}")
        Optional<String> apiKey();

        /** AFTERDARK_TIMEOUT: longest wait for one answer (default 10s). */
        @WithDefault("${AFTERDARK_TIMEOUT:10s}")
        Duration timeout();

        /** AFTERDARK_MAX_ATTEMPTS: tries of one charge on timeouts and 5xx, same reference each time (default 3). */
        @WithDefault("${AFTERDARK_MAX_ATTEMPTS:3}")
        int maxAttempts();
    }
}
