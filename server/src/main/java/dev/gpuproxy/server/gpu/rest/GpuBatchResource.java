package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v1/gpu/instances/batch}: rents up to 16 named offers in one call, each independently (unlike a
 * reservation, which picks offers itself and is all-or-nothing). 201 when every rental succeeded, 207 with the
 * per-offer outcome otherwise.
 */
@Path("/api/v1/gpu/instances/batch")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class GpuBatchResource {

    private final GpuInstanceService instances;
    private final SecurityIdentity identity;

    GpuBatchResource(GpuInstanceService instances, SecurityIdentity identity) {
        this.instances = instances;
        this.identity = identity;
    }

    public record BatchItem(@NotBlank String provider, @NotBlank @JsonProperty("offer_id") String offerId,
                            @Valid RentRequest launch) {}

    public record BatchRequest(@NotNull @Size(min = 1, max = 16) List<@NotNull @Valid BatchItem> requests) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(int index, String provider, @JsonProperty("offer_id") String offerId, int status,
                             InstanceView instance, String code, String detail) {}

    public record BatchResult(List<ItemResult> results, int succeeded, int failed) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rent(@Valid @NotNull BatchRequest batch) {
        long userId = Caller.userId(identity);
        List<ItemResult> results = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < batch.requests().size(); i++) {
            BatchItem item = batch.requests().get(i);
            String provider = instances.providerId(item.provider());
            try {
                InstanceView instance = InstanceView.of(instances.rent(userId, item.provider(), item.offerId(),
                        RentRequest.orDefaults(item.launch())));
                results.add(new ItemResult(i, provider, item.offerId(), 201, instance, null, null));
            } catch (ApiException e) {
                failed++;
                results.add(new ItemResult(i, provider, item.offerId(), e.status(), null, e.code(), e.detail()));
            }
        }
        BatchResult result = new BatchResult(results, results.size() - failed, failed);
        return Response.status(failed == 0 ? 201 : 207).entity(result).build();
    }
}
