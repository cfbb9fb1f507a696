package dev.gpuproxy.lb;

import java.math.BigDecimal;

/** The seed product's default backend weight from GPU memory and price, used when none is configured. */
public final class Weights {

    private Weights() {
    }

    /** 3.0 for at least 80 GB, 2.0 for 40, 1.5 for 24, else 1.0; times 1.2 when it costs under $1 per hour. */
    public static double fromHardware(Integer vramGb, BigDecimal pricePerHour) {
        double weight;
        int vram = vramGb == null ? 0 : vramGb;
        if (vram >= 80) {
            weight = 3.0;
        } else if (vram >= 40) {
            weight = 2.0;
        } else if (vram >= 24) {
            weight = 1.5;
        } else {
            weight = 1.0;
        }
        if (pricePerHour != null && pricePerHour.signum() > 0 && pricePerHour.compareTo(BigDecimal.ONE) < 0) {
            weight *= 1.2;
        }
        return weight;
    }
}
