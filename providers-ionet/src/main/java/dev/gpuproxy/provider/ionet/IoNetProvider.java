package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.provider.spi.Capability;
import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.provider.support.ProviderHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * io.net IO Cloud virtual machines (VMaaS): offers from its hardware list; fixed-term
 * rentals that can be extended ({@link Capability#EXTEND}) or terminated early.
 * VMs boot io.net's general image, so a launch spec's image, environment and onstart script are not applied;
 * its ports are published, its label names the deployment and its duration sets the term.
 */
final class IoNetProvider implements GpuProvider {

    private static final String BASE = IoNetOfferCatalog.BASE;
    /** Deployments per page of the list; io.net's maximum page size. */
    static final int PAGE_SIZE = 100;
    /** Guards against a provider whose totals never add up. */
    private static final int MAX_PAGES = 1000;

    private final ProviderHttp http;
    private final IoNetOfferCatalog catalog;
    private final int defaultDurationHours;
    private final List<String> whitelist;

    IoNetProvider(ProviderHttp http, int defaultDurationHours, List<String> whitelist) {
        this.http = http;
        this.catalog = new IoNetOfferCatalog(http);
        this.defaultDurationHours = defaultDurationHours;
        this.whitelist = List.copyOf(whitelist);
    }

    @Override
    public String id() {
        return IoNetProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.EXTEND);
    }

    @Override
    public List<Offer> listOffers(OfferQuery query) {
        return catalog.offers(query);
    }

    @Override
    public Instance launch(String offerId, LaunchSpec spec) {
        IoNetOfferId offer = IoNetOfferId.parse(offerId);
        String deploymentId = http.send("POST", BASE + "/deploy", deployBody(offer, spec).toString(),
                body -> deploymentId(IoNetJson.read(body)));
        return new Instance(deploymentId, id(), offerId, InstanceState.PENDING, null, offer.gpusPerVm(), null, null,
                Map.of(), null, null);
    }

    ObjectNode deployBody(IoNetOfferId offer, LaunchSpec spec) {
        ObjectNode body = IoNetJson.object();
        // The name must be unique per account, and a retried launch must not collide with the first attempt.
        String name = (spec.label() != null ? spec.label() : "gpuproxy") + "-" + UUID.randomUUID().toString().substring(0, 8);
        body.put("resource_private_name", name);
        body.put("duration_hours", spec.durationHours() != null ? spec.durationHours() : defaultDurationHours);
        body.put("gpus_per_vm", offer.gpusPerVm());
        body.set("hardware_id", IoNetJson.id(offer.hardwareId()));
        body.putArray("location_ids").add(IoNetJson.id(offer.locationId()));
        body.put("vm_image_type", "general");
        body.putObject("ssh_keys");
        ObjectNode services = body.putObject("network_services");
        for (int port : spec.ports()) {
            ObjectNode service = services.putObject("port-" + port);
            service.put("port", port);
            service.put("protocol", "tcp");
            whitelist.forEach(service.putArray("whitelist")::add);
        }
        return body;
    }

    /** The deploy answer's shape is not documented; accept the id wherever io.net's other answers put it. */
    private static String deploymentId(JsonNode answer) {
        JsonNode data = answer.get("data");
        for (JsonNode node : new JsonNode[] {data, answer}) {
            if (node == null) {
                continue;
            }
            if (node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
            String id = IoNetJson.text(node, "deployment_id");
            if (id == null) {
                id = IoNetJson.text(node, "id");
            }
            if (id != null) {
                return id;
            }
        }
        throw ProviderException.malformed(IoNetProviderFactory.ID, "deploy answer without deployment id: " + answer, null);
    }

    @Override
    public Optional<Instance> get(String instanceId) {
        String path = BASE + "/deployment/" + ProviderHttp.segment(instanceId);
        JsonNode deployment;
        try {
            deployment = http.get(path, body -> IoNetJson.data(body, "deployment"));
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(IoNetDeployments.fromDetails(deployment, workers(path)));
    }

    /** The deployment's VMs; a finished deployment may have none left to show. */
    private JsonNode workers(String deploymentPath) {
        try {
            return http.get(deploymentPath + "/vms",
                    body -> IoNetJson.array(IoNetJson.data(body, "deployment VMs"), "workers", "deployment VMs"));
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Every deployment of the account, from its summaries: states without addresses (use {@link #get} for those).
     * io.net documents the list's pages from 0; should a server count from 1 and answer page 0 like page 1, the
     * repeated page adds nothing (ids are kept once) and the next one is asked.
     */
    @Override
    public List<Instance> list() {
        Map<String, Instance> result = new LinkedHashMap<>();
        int pagesWithoutNews = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("page", page);
            params.put("page_size", PAGE_SIZE);
            JsonNode data = http.get(ProviderHttp.withQuery(BASE + "/deployments", params),
                    body -> IoNetJson.data(body, "deployment list"));
            JsonNode deployments = IoNetJson.array(data, "deployments", "deployment list");
            int before = result.size();
            deployments.forEach(node -> {
                Instance instance = IoNetDeployments.fromSummary(node);
                result.putIfAbsent(instance.id(), instance);
            });
            pagesWithoutNews = result.size() == before ? pagesWithoutNews + 1 : 0;
            if (deployments.isEmpty() || result.size() >= data.path("total").asInt(0) || pagesWithoutNews > 1) {
                break;
            }
        }
        return new ArrayList<>(result.values());
    }

    @Override
    public void destroy(String instanceId) {
        http.send("DELETE", BASE + "/deployment/" + ProviderHttp.segment(instanceId), null, body -> null);
    }

    /** Buys {@code duration} more, rounded up to whole hours since io.net sells hours. */
    @Override
    public void extend(String instanceId, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw ProviderException.invalidRequest(id(), "extension must be positive");
        }
        long hours = (duration.toMinutes() + 59) / 60;
        ObjectNode body = IoNetJson.object().put("duration_hours", Math.max(hours, 1));
        http.send("POST", BASE + "/deployment/" + ProviderHttp.segment(instanceId) + "/extend", body.toString(),
                answer -> null);
    }
}
