package dev.gpuproxy.server.billing.crypto;

import dev.gpuproxy.server.config.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What can be paid on chain: ETH (18 decimals) and the ERC-20 tokens of CRYPTO_TOKENS ({@code SYMBOL:contract:decimals}). */
@ApplicationScoped
public class CryptoCurrencies {

    /** A currency accepted on chain; {@code contract} is null for the chain's own coin. */
    public record Currency(String symbol, String contract, int decimals) {
        public boolean isToken() {
            return contract != null;
        }
    }

    static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    public static final Currency ETH = new Currency("ETH", null, 18);

    private final Map<String, Currency> currencies;

    CryptoCurrencies(BillingConfig config) {
        this.currencies = parse(config.crypto().tokens().orElse(""));
    }

    static Map<String, Currency> parse(String spec) {
        Map<String, Currency> parsed = new LinkedHashMap<>();
        parsed.put(ETH.symbol(), ETH);
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || !ADDRESS.matcher(parts[1].trim()).matches() || !parts[2].trim().matches("\\d{1,2}")) {
                throw new IllegalArgumentException("CRYPTO_TOKENS must be SYMBOL:0xcontract:decimals entries separated by"
                        + " commas, e.g. USDC:0xA0b8...eB48:6 (got '" + entry.trim() + "')");
            }
            String symbol = parts[0].trim().toUpperCase(Locale.ROOT);
            parsed.put(symbol, new Currency(symbol, parts[1].trim().toLowerCase(Locale.ROOT),
                    Integer.parseInt(parts[2].trim())));
        }
        return Map.copyOf(parsed);
    }

    public Optional<Currency> find(String symbol) {
        return symbol == null ? Optional.empty() : Optional.ofNullable(currencies.get(symbol.trim().toUpperCase(Locale.ROOT)));
    }

    public String symbols() {
        return String.join(", ", currencies.keySet().stream().sorted().toList());
    }
}
