package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.server.config.GpuConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/**
 * What a rented GPU runs when the tenant does not say: GPU_DEFAULT_IMAGE on GPU_DEFAULT_PORTS, probed at
 * GPU_DEFAULT_HEALTH_PATH. This is what lets {@code create vast.ai <offer>} and {@code reserve 16} work without flags,
 * as in the seed product; anything the request names wins.
 */
@ApplicationScoped
public class DefaultLaunch {

    private final String image;
    private final List<Integer> ports;
    private final String healthPath;

    DefaultLaunch(GpuConfig config) {
        String configured = config.defaultImage().strip();
        this.image = configured.isEmpty() || configured.toLowerCase(Locale.ROOT).equals("none") ? null : configured;
        this.ports = List.copyOf(config.defaultPorts());
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("GPU_DEFAULT_PORTS must list ports between 1 and 65535 (got " + port + ")");
            }
        }
        String path = config.defaultHealthPath().strip();
        this.healthPath = path.startsWith("/") ? path : "/" + path;
    }

    /**
     * The request's settings, or, when it names no image, the default image with the default ports (unless it names
     * ports). A request that names its own image keeps exactly what it asked for.
     */
    public LaunchSpec apply(LaunchSpec requested) {
        boolean noImage = requested.image() == null || requested.image().isBlank();
        if (!noImage || image == null) {
            return requested;
        }
        return new LaunchSpec(image, requested.env(), requested.ports().isEmpty() ? ports : requested.ports(),
                requested.diskGb(), requested.onstart(), requested.label(), requested.runtype(),
                requested.durationHours());
    }

    /** The default image, or null when the operator turned it off. */
    public String image() {
        return image;
    }

    public List<Integer> ports() {
        return ports;
    }

    /** The readiness path of a reserved instance's backend. */
    public String healthPath() {
        return healthPath;
    }
}
