package dev.gpuproxy.provider.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run on a rented offer. Adapters use the fields their marketplace understands and say in their
 * Javadoc which they ignore (io.net VMs boot a stock image, for example).
 *
 * @param image         container image, e.g. {@code vllm/vllm-openai:latest}
 * @param env           environment variables for the container
 * @param ports         container ports to publish; the instance reports their public counterparts
 * @param diskGb        disk to allocate in GB, or null for the provider's default
 * @param onstart       shell script run when the machine starts, or null
 * @param label         a human-readable name for the instance, or null
 * @param runtype       provider launch mode (vast.ai {@code args}, {@code ssh}, {@code jupyter}), or null for the adapter's default
 * @param durationHours rental length for providers that rent for a fixed time (io.net), or null for the adapter's default
 */
public record LaunchSpec(
        String image,
        Map<String, String> env,
        List<Integer> ports,
        Integer diskGb,
        String onstart,
        String label,
        String runtype,
        Integer durationHours) {

    public LaunchSpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
        if (durationHours != null && durationHours < 1) {
            throw new IllegalArgumentException("durationHours must be at least 1");
        }
        if (diskGb != null && diskGb < 1) {
            throw new IllegalArgumentException("diskGb must be at least 1");
        }
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    /** Fluent construction, so callers name only what they set. */
    public static final class Builder {
        private final String image;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<Integer> ports = new ArrayList<>();
        private Integer diskGb;
        private String onstart;
        private String label;
        private String runtype;
        private Integer durationHours;

        private Builder(String image) {
            this.image = image;
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder port(int port) {
            ports.add(port);
            return this;
        }

        public Builder diskGb(Integer value) {
            this.diskGb = value;
            return this;
        }

        public Builder onstart(String value) {
            this.onstart = value;
            return this;
        }

        public Builder label(String value) {
            this.label = value;
            return this;
        }

        public Builder runtype(String value) {
            this.runtype = value;
            return this;
        }

        public Builder durationHours(Integer value) {
            this.durationHours = value;
            return this;
        }

        public LaunchSpec build() {
            return new LaunchSpec(image, env, ports, diskGb, onstart, label, runtype, durationHours);
        }
    }
}
