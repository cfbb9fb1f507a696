package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.common.number.BoundedDecimal;
import dev.gpuproxy.server.config.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns money into credits: an amount in a currency, at its US-dollar rate (USD = 1, others from CRYPTO_USD_RATES),
 * times CREDITS_PER_USD, rounded down to whole micro-credits.
 */
@ApplicationScoped
public class Pricing {

    private final BigDecimal creditsPerUsd;
    private final Map<String, BigDecimal> usdRates;

    Pricing(BillingConfig config) {
        this.creditsPerUsd = config.creditsPerUsd();
        if (creditsPerUsd.signum() <= 0) {
            throw new IllegalArgumentException("CREDITS_PER_USD must be greater than zero (got " + creditsPerUsd + ")");
        }
        this.usdRates = parseRates(config.crypto().usdRates().orElse(""));
    }

    static Map<String, BigDecimal> parseRates(String spec) {
        Map<String, BigDecimal> rates = new HashMap<>();
        rates.put("USD", BigDecimal.ONE);
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            try {
                BigDecimal rate = new BigDecimal(parts[1].trim());
                if (parts.length != 2 || rate.signum() <= 0) {
                    throw new NumberFormatException();
                }
                rates.put(parts[0].trim().toUpperCase(Locale.ROOT), rate);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "CRYPTO_USD_RATES must be SYMBOL:rate pairs separated by commas, e.g. ETH:3000,USDC:1 (got '"
                                + entry.trim() + "')");
            }
        }
        return Map.copyOf(rates);
    }

    public Optional<BigDecimal> usdRate(String currency) {
        return Optional.ofNullable(usdRates.get(currency.toUpperCase(Locale.ROOT)));
    }

    /**
     * The credits {@code amount} of {@code currency} buys.
     *
     * @throws ApiException 400 when there is no rate for the currency or the amount buys nothing
     */
    public long credits(BigDecimal amount, String currency) {
        BigDecimal rate = usdRate(currency).orElseThrow(() -> ApiException.badRequest(
                "currency " + currency + " has no configured rate (CRYPTO_USD_RATES)"));
        BigDecimal credits = amount.multiply(rate).multiply(creditsPerUsd);
        if (credits.compareTo(Credits.MAX_AMOUNT) > 0) {
            throw ApiException.badRequest("amount is too large");
        }
        long micros = credits.movePointRight(Credits.SCALE).setScale(0, RoundingMode.DOWN).longValueExact();
        if (micros <= 0) {
            throw ApiException.badRequest("amount is too small to buy any credits");
        }
        return micros;
    }

    /** US dollars (rounded up to cents) that buy {@code creditsMicros}. */
    public BigDecimal usdFor(long creditsMicros) {
        return Credits.toDecimal(creditsMicros).divide(creditsPerUsd, 2, RoundingMode.UP);
    }

    /**
     * Checks an amount's precision and sign for a currency with {@code decimals} places.
     *
     * @return the amount with trailing zeros removed beyond the currency's places
     */
    public static BigDecimal checkAmount(BigDecimal amount, int decimals, String currency) {
        if (amount == null) {
            throw ApiException.badRequest("amount is required");
        }
        // Bounded first: stripping or rescaling an amount such as 1e300000000 would compute for minutes.
        BoundedDecimal.check("amount", amount);
        if (amount.signum() <= 0) {
            throw ApiException.badRequest("amount must be greater than zero");
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > decimals) {
            throw ApiException.badRequest("amount has more than " + decimals + " decimal places for " + currency);
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
