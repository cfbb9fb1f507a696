package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.error.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code X-Preferred-Payment} header: {@code card:pm_...} (a Stripe PaymentMethod token) or
 * {@code crypto:<network>:<wallet>}. A raw card number is refused, and error messages never repeat the header's value,
 * so the number is neither stored nor logged.
 */
public sealed interface PreferredPayment {

    String HEADER = "X-Preferred-Payment";

    /** No preference given. */
    record None() implements PreferredPayment {}

    /** A Stripe PaymentMethod id. */
    record CardToken(String paymentMethodId) implements PreferredPayment {}

    /** The wallet a crypto payment will come from, on a network. */
    record CryptoWallet(String network, String address) implements PreferredPayment {}

    PreferredPayment NONE = new None();

    Pattern PAYMENT_METHOD = Pattern.compile("pm_[A-Za-z0-9_]{1,200}");
    Pattern WALLET = Pattern.compile("0x[0-9a-fA-F]{40}");
    Pattern NETWORK = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    static PreferredPayment parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String value = header.trim();
        int colon = value.indexOf(':');
        String kind = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? value : value.substring(colon + 1);
        if (!kind.equals("crypto") && !(kind.equals("card") && PAYMENT_METHOD.matcher(rest).matches())
                && looksLikeCardNumber(rest)) {
            throw rawCardNumber();
        }
        return switch (kind) {
            case "card" -> {
                if (!PAYMENT_METHOD.matcher(rest).matches()) {
                    throw ApiException.badRequest(HEADER + " card: takes a payment method token (card:pm_...)");
                }
                yield new CardToken(rest);
            }
            case "crypto" -> {
                String[] parts = rest.split(":", -1);
                if (parts.length != 2 || !NETWORK.matcher(parts[0].toLowerCase(Locale.ROOT)).matches()
                        || !WALLET.matcher(parts[1]).matches()) {
                    throw ApiException.badRequest(HEADER + " crypto: takes crypto:<network>:<0x wallet address>");
                }
                yield new CryptoWallet(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT));
            }
            default -> throw ApiException.badRequest(HEADER + " must be card:pm_... or crypto:<network>:<wallet>");
        };
    }

    /** True when the value carries what looks like a card number: 12 to 19 digits, spaces or dashes between. */
    static boolean looksLikeCardNumber(String value) {
        int digits = 0;
        int longest = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                longest = Math.max(longest, digits);
            } else if (c != ' ' && c != '-') {
                digits = 0;
            }
        }
        return longest >= 12;
    }

    static ApiException rawCardNumber() {
        return new ApiException(400, "raw_card_number_refused",
                "Card numbers are never accepted: pay through Stripe Checkout or send a payment method token"
                        + " (X-Preferred-Payment: card:pm_...)");
    }
}
