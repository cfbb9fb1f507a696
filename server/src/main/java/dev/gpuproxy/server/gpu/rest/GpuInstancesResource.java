package dev.gpuproxy.server.gpu.rest;

import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import dev.gpuproxy.server.gpu.service.GpuInstanceService;
import dev.gpuproxy.server.gpu.service.InvalidParameter;
import dev.gpuproxy.server.gpu.service.OfferFilter;
import dev.gpuproxy.server.gpu.service.OfferService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/**
 * GPU offers and the caller's instances: {@code GET /api/v1/gpu/instances} lists offers across providers,
 * {@code POST .../{provider}/{offerId}} rents one, {@code GET .../mine} lists the caller's instances,
 * {@code GET|DELETE .../{provider}/{instanceId}} shows or releases one of them.
 */
@Path("/api/v1/gpu/instances")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class GpuInstancesResource {

    private final OfferService offers;
    private final GpuInstanceService instances;
    private final SecurityIdentity identity;

    GpuInstancesResource(OfferService offers, GpuInstanceService instances, SecurityIdentity identity) {
        this.offers = offers;
        this.instances = instances;
        this.identity = identity;
    }

    @GET
    public OfferListResponse offers(@QueryParam("provider") String provider,
                                    @QueryParam("min_vram") String minVram,
                                    @QueryParam("max_price") String maxPrice,
                                    @QueryParam("gpu_model") String gpuModel,
                                    @QueryParam("location") String location,
                                    @QueryParam("min_reliability") String minReliability,
                                    @QueryParam("sort") String sort,
                                    @QueryParam("limit") String limit,
                                    @QueryParam("offset") String offset) {
        OfferFilter filter = OfferFilter.parse(provider, minVram, maxPrice, gpuModel, location, minReliability, sort,
                limit, offset);
        return OfferListResponse.of(offers.list(filter));
    }

    @GET
    @Path("/mine")
    public InstanceListResponse mine(@QueryParam("include_ended") String includeEnded) {
        boolean all = InvalidParameter.bool("include_ended", includeEnded, false);
        List<InstanceView> list = instances.mine(Caller.userId(identity), all).stream().map(InstanceView::of).toList();
        return new InstanceListResponse(list, list.size());
    }

    @POST
    @Path("/{provider}/{offerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rent(@PathParam("provider") String provider, @PathParam("offerId") String offerId,
                         @Valid RentRequest request) {
        GpuInstance instance = instances.rent(Caller.userId(identity), provider, offerId,
                RentRequest.orDefaults(request));
        return Response.created(UriBuilder.fromResource(GpuInstancesResource.class)
                        .path("{provider}/{instanceId}").build(instance.provider(), instance.providerInstanceId()))
                .entity(InstanceView.of(instance))
                .build();
    }

    /**
     * The same without a JSON body (curl -X POST sends none): the default launch. A JSON body sent form-typed or
     * untyped reaches {@link #rent} already ({@code FormTypedJsonFilter}); anything else left here is not JSON.
     */
    @POST
    @Path("/{provider}/{offerId}")
    @Consumes(MediaType.WILDCARD)
    public Response rentWithDefaults(@PathParam("provider") String provider, @PathParam("offerId") String offerId,
                                     String body) {
        if (body != null && !body.isBlank()) {
            throw new ApiException(415, "unsupported_media_type", "Send the launch settings as application/json");
        }
        return rent(provider, offerId, null);
    }

    @GET
    @Path("/{provider}/{instanceId}")
    public InstanceView get(@PathParam("provider") String provider, @PathParam("instanceId") String instanceId) {
        return InstanceView.of(instances.get(Caller.userId(identity), provider, instanceId));
    }

    @DELETE
    @Path("/{provider}/{instanceId}")
    public InstanceView release(@PathParam("provider") String provider, @PathParam("instanceId") String instanceId) {
        return InstanceView.of(instances.release(Caller.userId(identity), provider, instanceId));
    }
}
