package dev.gpuproxy.cli.common.output;

import java.math.BigDecimal;
import java.util.Locale;

/** How values of the server's answers look in tables and details where plain {@code toString} is not enough. */
public final class Cells {

    private Cells() {
    }

    /** A number without trailing zeros ({@code 24.0} -> {@code 24}, {@code 0.40} -> {@code 0.4}); "-" when absent. */
    public static String number(BigDecimal value) {
        return value == null ? "-" : value.stripTrailingZeros().toPlainString();
    }

    /** A latency in milliseconds with one decimal; a backend without measurements shows {@code 0.0}. */
    public static String latency(Double millis) {
        return String.format(Locale.ROOT, "%.1f", millis == null ? 0.0 : millis);
    }

    /** A backend's health as the balancer sees it. */
    public static String ejection(Boolean ejected) {
        return Boolean.TRUE.equals(ejected) ? "ejected" : "ok";
    }
}
