package dev.gpuproxy.provider.vastai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.ProviderException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps vast.ai instance JSON to {@link Instance}: {@code actual_status} to a state, Docker-style {@code ports} to a port map. */
final class VastInstances {

    private VastInstances() {
    }

    static Instance fromJson(JsonNode node) {
        VastJson.requireObject(node, "instance");
        String id = VastJson.text(node, "id");
        if (id == null) {
            throw ProviderException.malformed(VastAiProviderFactory.ID, "instance without id", null);
        }
        return new Instance(
                id,
                VastAiProviderFactory.ID,
                null,
                state(VastJson.text(node, "actual_status")),
                VastJson.text(node, "gpu_name"),
                node.path("num_gpus").asInt(0),
                VastJson.decimal(node, "dph_total"),
                VastJson.text(node, "public_ipaddr"),
                ports(node.get("ports")),
                startedAt(node.get("start_date")),
                VastJson.text(node, "status_msg"));
    }

    /**
     * {@code actual_status} goes null, then loading, then running; exited/stopped keep the disk; offline and
     * unknown mean vast.ai lost contact with the host.
     */
    static InstanceState state(String actualStatus) {
        if (actualStatus == null) {
            return InstanceState.PENDING;
        }
        return switch (actualStatus.toLowerCase(Locale.ROOT)) {
            case "loading" -> InstanceState.LOADING;
            case "running" -> InstanceState.RUNNING;
            case "exited", "stopped" -> InstanceState.STOPPED;
            case "offline", "unknown", "error" -> InstanceState.FAILED;
            default -> InstanceState.PENDING;
        };
    }

    /**
     * {@code {"8000/tcp":[{"HostIp":"0.0.0.0","HostPort":"20000"}]}}; HostPort is a string, and the map only exists
     * while the instance runs.
     */
    static Map<Integer, Integer> ports(JsonNode ports) {
        Map<Integer, Integer> result = new LinkedHashMap<>();
        if (ports == null || !ports.isObject()) {
            return result;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = ports.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String[] portAndProtocol = entry.getKey().split("/");
            boolean tcp = portAndProtocol.length == 1 || "tcp".equalsIgnoreCase(portAndProtocol[1]);
            JsonNode bindings = entry.getValue();
            if (!tcp || !bindings.isArray() || bindings.isEmpty()) {
                continue;
            }
            try {
                int containerPort = Integer.parseInt(portAndProtocol[0].strip());
                int hostPort = Integer.parseInt(bindings.get(0).path("HostPort").asText().strip());
                result.put(containerPort, hostPort);
            } catch (NumberFormatException e) {
                throw ProviderException.malformed(VastAiProviderFactory.ID, "unreadable port mapping " + entry, e);
            }
        }
        return result;
    }

    /** {@code start_date} is epoch seconds with a fraction. */
    private static Instant startedAt(JsonNode startDate) {
        if (startDate == null || !startDate.isNumber()) {
            return null;
        }
        BigDecimal millis = startDate.decimalValue().movePointRight(3);
        return Instant.ofEpochMilli(millis.longValue());
    }
}
