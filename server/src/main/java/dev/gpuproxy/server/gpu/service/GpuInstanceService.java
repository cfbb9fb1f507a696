package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.server.common.error.ApiException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Renting, showing and releasing a tenant's GPU instances. Provider calls happen between short database steps
 * ({@link InstanceRecords}), never inside a transaction: a marketplace may take seconds to answer.
 *
 * <p>Tenants only ever see their own instances: another tenant's instance is "not found", never "forbidden", so ids
 * reveal nothing.
 */
@ApplicationScoped
public class GpuInstanceService {

    private final ProviderRegistry registry;
    private final OfferService offers;
    private final InstanceRecords records;
    private final DefaultLaunch defaults;

    GpuInstanceService(ProviderRegistry registry, OfferService offers, InstanceRecords records,
                       DefaultLaunch defaults) {
        this.registry = registry;
        this.offers = offers;
        this.records = records;
        this.defaults = defaults;
    }

    /**
     * Rents an offer for a tenant: records the instance as theirs, has the first hour authorized, then asks the
     * provider. Nothing stays recorded when the provider refuses.
     */
    public GpuInstance rent(long userId, String providerName, String offerId, LaunchSpec requested) {
        GpuProvider provider = registry.require(providerName);
        String providerId = provider.id();
        LaunchSpec spec = defaults.apply(requested);
        String what = "Renting offer " + offerId + " of " + providerId;
        Offer offer;
        try {
            offer = offers.find(provider, offerId).orElseThrow(() -> new ApiException(409, "offer_unavailable",
                    "Offer " + offerId + " of " + providerId + " is not listed (any more); list offers and pick another",
                    Map.of("provider", providerId), Map.of()));
        } catch (ProviderException e) {
            throw ProviderProblems.toApi(e, what);
        }
        if (!offer.available()) {
            throw new ApiException(409, "offer_unavailable", "Offer " + offerId + " of " + providerId
                    + " is not available for rent", Map.of("provider", providerId), Map.of());
        }
        long rowId = records.open(userId, provider.id(), offer, spec);
        Instance launched;
        try {
            launched = provider.launch(offerId, spec);
        } catch (ProviderException e) {
            records.abandon(rowId);
            if (e.kind() == ProviderException.Kind.TIMEOUT) {
                // The rental may still have gone through; the operator has to look at the account.
                Log.warnf("Renting offer %s of %s for user %d timed out; the provider may have rented it anyway",
                        offerId, providerId, userId);
            }
            throw ProviderProblems.toApi(e, what);
        } catch (RuntimeException e) {
            records.abandon(rowId);
            throw e;
        }
        offers.rented(provider.id(), offerId);
        GpuInstance instance;
        try {
            instance = records.accepted(rowId, launched);
        } catch (RuntimeException e) {
            // Rented but not recordable (e.g. the provider repeated an instance id): give the machine back rather
            // than leave one running that nobody owns and nothing releases.
            Log.errorf(e, "Recording %s instance %s for user %d failed; destroying it", providerId, launched.id(), userId);
            try {
                provider.destroy(launched.id());
            } catch (RuntimeException destroyFailed) {
                Log.errorf(destroyFailed, "Destroying unrecorded %s instance %s failed; it may still be running",
                        providerId, launched.id());
            }
            records.abandon(rowId);
            throw e;
        }
        Log.infof("User %d rented %s offer %s as instance %d (%s)", userId, providerId, offerId, instance.id(),
                launched.id());
        return instance;
    }

    /** The id a provider name stands for ({@code vast.ai} is {@code vastai}), for answers that echo a request. */
    public String providerId(String name) {
        return registry.canonical(name);
    }

    /** The tenant's instances, newest first. */
    public List<GpuInstance> mine(long userId, boolean includeEnded) {
        return records.listOwned(userId, includeEnded);
    }

    /** One of the tenant's instances; another tenant's is a 404. */
    public GpuInstance get(long userId, String providerName, String providerInstanceId) {
        String providerId = registry.canonical(providerName);
        return records.findOwned(userId, providerId, providerInstanceId)
                .orElseThrow(() -> notFound(providerId, providerInstanceId));
    }

    /**
     * Releases one of the tenant's instances at the provider and ends it; the last started minute is charged.
     * Releasing an ended instance answers its final state again.
     */
    public GpuInstance release(long userId, String providerName, String providerInstanceId) {
        String providerId = registry.canonical(providerName);
        GpuInstance instance = get(userId, providerId, providerInstanceId);
        if (instance.endedAt() != null) {
            return instance;
        }
        GpuProvider provider = registry.find(providerId).orElseThrow(() -> new ApiException(503,
                "provider_unavailable", "Provider " + providerId + " is not enabled on this server any more, so instance "
                + providerInstanceId + " cannot be released through it", Map.of("provider", providerId), Map.of()));
        destroy(provider, providerInstanceId, "Releasing instance " + providerInstanceId + " of " + providerId);
        GpuInstance ended = records.end(instance.id(), InstanceState.TERMINATED);
        Log.infof("User %d released instance %d (%s %s)", userId, instance.id(), providerId, providerInstanceId);
        return ended;
    }

    /** Destroys at the provider; an instance the provider no longer has is released already. */
    static void destroy(GpuProvider provider, String providerInstanceId, String what) {
        try {
            provider.destroy(providerInstanceId);
        } catch (ProviderException e) {
            if (e.kind() != ProviderException.Kind.NOT_FOUND && e.kind() != ProviderException.Kind.GONE) {
                throw ProviderProblems.toApi(e, what);
            }
        }
    }

    private static ApiException notFound(String providerId, String providerInstanceId) {
        return ApiException.notFound("You have no instance " + providerInstanceId + " at provider " + providerId);
    }
}
