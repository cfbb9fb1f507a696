package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.ProviderException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps an io.net VMaaS deployment (its details and its VMs) to an {@link Instance}: the deployment's status
 * to a state, the first VM's network services to the public address and port map.
 */
final class IoNetDeployments {

    private IoNetDeployments() {
    }

    /** A deployment with its VMs ({@code workers}); {@code workers} may be empty while it is being placed. */
    static Instance fromDetails(JsonNode deployment, JsonNode workers) {
        String id = requireId(deployment);
        JsonNode worker = firstWorker(workers);
        Endpoint endpoint = endpoint(worker);
        String status = IoNetJson.text(deployment, "status");
        InstanceState state = state(status, worker != null && (endpoint.host() != null || isUp(worker)));
        return new Instance(
                id,
                IoNetProviderFactory.ID,
                offerId(deployment),
                state,
                IoNetJson.text(deployment, "hardware_name"),
                deployment.path("total_gpus").asInt(0),
                pricePerHour(deployment),
                endpoint.host(),
                endpoint.ports(),
                timestamp(IoNetJson.text(deployment, "started_at")),
                statusMessage(status, worker));
    }

    /** An entry of the deployment list, which carries no VM details and so no address. */
    static Instance fromSummary(JsonNode deployment) {
        String status = IoNetJson.text(deployment, "status");
        return new Instance(
                requireId(deployment),
                IoNetProviderFactory.ID,
                null,
                state(status, false),
                IoNetJson.text(deployment, "hardware_name"),
                deployment.path("hardware_quantity").asInt(0),
                null,
                null,
                Map.of(),
                null,
                status);
    }

    /**
     * io.net's status words vary ("deployment requested", "running", "completed", "termination requested", ...),
     * so they are matched by stem, ending states first. A deployment io.net calls running counts as
     * {@link InstanceState#RUNNING} only once a VM is up; before that it is still loading.
     */
    static InstanceState state(String status, boolean vmUp) {
        String s = status == null ? "" : status.toLowerCase(Locale.ROOT);
        if (s.contains("fail") || s.contains("error")) {
            return InstanceState.FAILED;
        }
        if (s.contains("terminat") || s.contains("destroy") || s.contains("complet") || s.contains("finish")
                || s.contains("expire") || s.contains("cancel") || s.contains("ended")) {
            return InstanceState.TERMINATED;
        }
        if (s.contains("running") || s.contains("active")) {
            return vmUp ? InstanceState.RUNNING : InstanceState.LOADING;
        }
        if (s.contains("deploying") || s.contains("provision") || s.contains("start") || s.contains("progress")
                || s.contains("creat") || s.contains("boot")) {
            return InstanceState.LOADING;
        }
        return InstanceState.PENDING;
    }

    private static boolean isUp(JsonNode worker) {
        String status = String.valueOf(IoNetJson.text(worker, "status")).toLowerCase(Locale.ROOT);
        return status.contains("running") || status.contains("active") || status.contains("ready");
    }

    private static String requireId(JsonNode deployment) {
        String id = IoNetJson.text(deployment, "id");
        if (id == null) {
            throw ProviderException.malformed(IoNetProviderFactory.ID, "deployment without id", null);
        }
        return id;
    }

    private static JsonNode firstWorker(JsonNode workers) {
        return workers != null && workers.isArray() && !workers.isEmpty() ? workers.get(0) : null;
    }

    private record Endpoint(String host, Map<Integer, Integer> ports) {
    }

    /** {@code network_services: {name: {port, public_port, public_ip}}} of the VM. */
    private static Endpoint endpoint(JsonNode worker) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        String host = null;
        JsonNode services = worker == null ? null : worker.get("network_services");
        if (services == null || !services.isObject()) {
            return new Endpoint(null, ports);
        }
        Iterator<JsonNode> each = services.elements();
        while (each.hasNext()) {
            JsonNode service = each.next();
            String ip = IoNetJson.text(service, "public_ip");
            if (ip == null || !service.path("port").canConvertToInt() || !service.path("public_port").canConvertToInt()
                    || service.path("public_port").asInt() == 0) {
                continue;
            }
            host = host == null ? ip : host;
            ports.put(service.path("port").asInt(), service.path("public_port").asInt());
        }
        return new Endpoint(host, ports);
    }

    /**
     * The offer id it was rented from, rebuilt from hardware, first location and GPUs per VM. Offers name a location
     * as the hardware list does ({@code "US"}), which the deployment's locations carry as {@code iso2}.
     */
    private static String offerId(JsonNode deployment) {
        String hardwareId = IoNetJson.text(deployment, "hardware_id");
        JsonNode locations = deployment.path("locations");
        String locationId = locations.isArray() && !locations.isEmpty() ? IoNetJson.text(locations.get(0), "iso2") : null;
        int gpusPerVm = deployment.path("gpus_per_vm").asInt(0);
        if (hardwareId == null || locationId == null || gpusPerVm < 1) {
            return null;
        }
        return new IoNetOfferId(hardwareId, locationId, gpusPerVm).toString();
    }

    /** io.net charges up front: the amount paid spread over the minutes bought (served plus remaining). */
    private static BigDecimal pricePerHour(JsonNode deployment) {
        BigDecimal paid = IoNetJson.decimal(deployment, "amount_paid");
        long minutes = deployment.path("compute_minutes_served").asLong(0)
                + deployment.path("compute_minutes_remaining").asLong(0);
        if (paid == null || minutes <= 0) {
            return null;
        }
        return paid.multiply(BigDecimal.valueOf(60)).divide(BigDecimal.valueOf(minutes), MathContext.DECIMAL64);
    }

    /** The VM's latest event says more than the deployment status while it boots. */
    private static String statusMessage(String status, JsonNode worker) {
        JsonNode events = worker == null ? null : worker.get("vm_events");
        if (events != null && events.isArray() && !events.isEmpty()) {
            String latest = IoNetJson.text(events.get(events.size() - 1), "message");
            if (latest != null) {
                return latest;
            }
        }
        return status;
    }

    /** io.net writes ISO timestamps, sometimes without a zone (meaning UTC). */
    static Instant timestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                throw ProviderException.malformed(IoNetProviderFactory.ID, "unreadable timestamp " + text, unreadable);
            }
        }
    }
}
