package dev.gpuproxy.provider.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One GPU marketplace account: lists its offers and rents, inspects and releases instances.
 * Every method may throw {@link ProviderException}; implementations are thread-safe.
 */
public interface GpuProvider {

    /** Id of this provider, the same as its factory's, e.g. {@code vastai}. */
    String id();

    /** Optional operations this provider supports; the default {@link #stop}, {@link #start} and {@link #extend} refuse others. */
    Set<Capability> capabilities();

    /** Offers matching the query, at most {@code query.limit()} of them. */
    List<Offer> listOffers(OfferQuery query);

    /**
     * Rents an offer and starts the spec on it. The returned instance is usually {@link InstanceState#PENDING};
     * poll {@link #get} for its address.
     *
     * @throws ProviderException of kind {@code GONE} or {@code NOT_FOUND} when the offer was taken meanwhile
     */
    Instance launch(String offerId, LaunchSpec spec);

    /**
     * The current state of an instance of this account.
     *
     * @return empty when the provider does not know the instance (never rented, or destroyed and forgotten);
     *         other failures are thrown, so "empty" always means "not there"
     */
    Optional<Instance> get(String instanceId);

    /** All instances of this account, every page fetched. */
    List<Instance> list();

    /** Releases an instance for good; billing stops. */
    void destroy(String instanceId);

    /** Stops an instance keeping its disk; requires {@link Capability#STOP}. */
    default void stop(String instanceId) {
        throw ProviderException.unsupported(id(), "stop");
    }

    /** Starts a stopped instance; requires {@link Capability#START}. */
    default void start(String instanceId) {
        throw ProviderException.unsupported(id(), "start");
    }

    /** Prolongs a fixed-duration rental by at least {@code duration}; requires {@link Capability#EXTEND}. */
    default void extend(String instanceId, Duration duration) {
        throw ProviderException.unsupported(id(), "extend");
    }
}
