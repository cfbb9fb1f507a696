package dev.gpuproxy.provider.vastai;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vast.ai marketplace through its REST API: searches bundles, rents asks, and shows, lists, stops, starts and
 * destroys the account's instances. Supports {@link Capability#STOP} and {@link Capability#START}.
 */
final class VastAiProvider implements GpuProvider {

    /** Instances per page of {@code /api/v1/instances/}; vast.ai allows at most 25. */
    static final int PAGE_SIZE = 25;
    /** Disk in GB when the spec asks for none; the CLI's default. */
    static final int DEFAULT_DISK_GB = 10;
    /** Launch mode when the spec names none: run the image's own entrypoint, which an inference server needs. */
    static final String DEFAULT_RUNTYPE = "args";
    /** Guards against a provider that keeps returning the same page token. */
    private static final int MAX_PAGES = 1000;

    private final ProviderHttp http;

    VastAiProvider(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public String id() {
        return VastAiProviderFactory.ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STOP, Capability.START);
    }

    @Override
    public List<Offer> listOffers(OfferQuery query) {
        String body = VastJson.write(VastOfferSearch.body(query));
        return http.send("POST", "/api/v0/bundles/", body, answer -> VastOffers.fromSearch(VastJson.read(answer), query));
    }

    /**
     * Rents ask {@code offerId}. The spec's ports become vast.ai's {@code "-p 8000:8000"} environment keys;
     * {@code durationHours} is ignored (on-demand rentals run until destroyed).
     */
    @Override
    public Instance launch(String offerId, LaunchSpec spec) {
        if (spec.image() == null || spec.image().isBlank()) {
            throw ProviderException.invalidRequest(id(), "an image is required to launch on vast.ai");
        }
        String path = "/api/v0/asks/" + ProviderHttp.segment(offerId) + "/";
        String contract = http.send("PUT", path, VastJson.write(launchBody(spec)), answer -> {
            JsonNode json = VastJson.read(answer);
            VastJson.requireSuccess(json, "rental of offer " + offerId);
            String contractId = VastJson.text(json, "new_contract");
            if (contractId == null) {
                throw ProviderException.malformed(id(), "rental answer without new_contract", null);
            }
            return contractId;
        });
        return new Instance(contract, id(), offerId, InstanceState.PENDING, null, 0, null, null, Map.of(), null, null);
    }

    static ObjectNode launchBody(LaunchSpec spec) {
        ObjectNode body = VastJson.object();
        body.put("client_id", "me");
        body.put("image", spec.image());
        ObjectNode env = body.putObject("env");
        spec.env().forEach(env::put);
        // vast.ai reads Docker port options from env keys; the value is ignored but must be present.
        for (int port : spec.ports()) {
            env.put("-p " + port + ":" + port, "1");
        }
        body.put("disk", spec.diskGb() != null ? spec.diskGb() : DEFAULT_DISK_GB);
        body.put("runtype", spec.runtype() != null ? spec.runtype() : DEFAULT_RUNTYPE);
        if (spec.label() != null) {
            body.put("label", spec.label());
        }
        if (spec.onstart() != null) {
            body.put("onstart", spec.onstart());
        }
        // No bid price: rent on demand.
        body.putNull("price");
        return body;
    }

    @Override
    public Optional<Instance> get(String instanceId) {
        String path = ProviderHttp.withQuery("/api/v0/instances/" + ProviderHttp.segment(instanceId) + "/",
                Map.of("owner", "me"));
        try {
            return http.get(path, answer -> {
                JsonNode instances = VastJson.requireObject(VastJson.read(answer), "instance answer").get("instances");
                // One object when found; null (or an empty list on older API versions) when not.
                if (instances == null || instances.isNull() || instances.isArray() && instances.isEmpty()) {
                    return Optional.<Instance>empty();
                }
                JsonNode node = instances.isArray() ? instances.get(0) : instances;
                return Optional.of(VastInstances.fromJson(node));
            });
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Instance> list() {
        List<Instance> result = new ArrayList<>();
        Set<String> seenTokens = new HashSet<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("limit", PAGE_SIZE);
            params.put("after_token", token);
            JsonNode answer = http.get(ProviderHttp.withQuery("/api/v1/instances/", params), VastJson::read);
            JsonNode instances = VastJson.requireObject(answer, "instance list").get("instances");
            if (instances == null || !instances.isArray()) {
                throw ProviderException.malformed(id(), "instance list without instances array", null);
            }
            instances.forEach(node -> result.add(VastInstances.fromJson(node)));
            token = VastJson.text(answer, "next_token");
            if (token == null || instances.isEmpty() || !seenTokens.add(token)) {
                return result;
            }
        }
        return result;
    }

    @Override
    public void destroy(String instanceId) {
        command("DELETE", instanceId, "{}", "destroy");
    }

    @Override
    public void stop(String instanceId) {
        command("PUT", instanceId, "{\"state\":\"stopped\"}", "stop");
    }

    @Override
    public void start(String instanceId) {
        command("PUT", instanceId, "{\"state\":\"running\"}", "start");
    }

    private void command(String method, String instanceId, String body, String what) {
        String path = "/api/v0/instances/" + ProviderHttp.segment(instanceId) + "/";
        http.send(method, path, body, answer -> {
            // Some of these endpoints answer with an empty body; only an explicit success:false is a refusal.
            if (!answer.isBlank()) {
                VastJson.requireSuccess(VastJson.read(answer), what + " of instance " + instanceId);
            }
            return null;
        });
    }
}
