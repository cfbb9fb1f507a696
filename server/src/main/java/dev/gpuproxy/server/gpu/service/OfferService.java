package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.server.config.GpuConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offers across providers: asks every enabled provider at once, waits for each at most GPU_OFFERS_TIMEOUT, reports the
 * ones that fail next to the offers of the others, and filters, sorts and pages the union the same way for all.
 *
 * <p>Each provider's answer to one query is reused for GPU_OFFER_CACHE_TTL, and concurrent identical queries share one
 * call, so listing does not hammer a marketplace (vast.ai rate-limits without telling when to retry). Offers seen in a
 * listing are remembered for {@link #OFFER_MEMORY}, which is how renting one knows its price.
 */
@ApplicationScoped
public class OfferService {

    /** How long a listed offer can be rented by id without listing again. */
    static final Duration OFFER_MEMORY = Duration.ofMinutes(10);
    private static final int MAX_REMEMBERED_OFFERS = 20_000;
    private static final int MAX_CACHED_QUERIES = 512;

    private final ProviderRegistry registry;
    private final ProviderHealth health;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Duration timeout;
    private final ExecutorService executor;
    private final Map<CacheKey, CacheEntry> cache = new ConcurrentHashMap<>();
    private final Map<OfferKey, Remembered> remembered = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OfferKey, Remembered> eldest) {
            return size() > MAX_REMEMBERED_OFFERS;
        }
    };

    private record CacheKey(String provider, OfferQuery query) {
    }

    private record CacheEntry(CompletableFuture<List<Offer>> offers, Instant expires) {
    }

    private record OfferKey(String provider, String offerId) {
    }

    private record Remembered(Offer offer, Instant seen) {
    }

    OfferService(ProviderRegistry registry, ProviderHealth health, GpuConfig config, Clock clock) {
        this.registry = registry;
        this.health = health;
        this.clock = clock;
        this.cacheTtl = config.offerCacheTtl();
        this.timeout = config.offersTimeout();
        this.executor = Executors.newCachedThreadPool(daemonThreads());
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }

    /**
     * One page of offers.
     *
     * @throws dev.gpuproxy.server.common.error.ApiException 400 naming {@code provider} when it is not enabled
     */
    public OfferListing list(OfferFilter filter) {
        Collection<GpuProvider> providers = filter.provider() == null ? registry.enabled()
                : List.of(registry.find(filter.provider()).orElseThrow(() -> InvalidParameter.of("provider",
                        "provider must be one of the enabled providers: " + String.join(", ", registry.enabledIds())
                                + " (got '" + filter.provider() + "')")));
        OfferQuery query = filter.providerQuery();
        Map<GpuProvider, CompletableFuture<List<Offer>>> pending = new LinkedHashMap<>();
        providers.forEach(provider -> pending.put(provider, offers(provider, query)));

        long deadline = System.nanoTime() + timeout.toNanos();
        List<Offer> all = new ArrayList<>();
        List<ProviderFailure> errors = new ArrayList<>();
        pending.forEach((provider, future) -> {
            try {
                List<Offer> offers = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                remember(offers);
                offers.stream().filter(offer -> OfferMatcher.matches(offer, query)).forEach(all::add);
            } catch (TimeoutException e) {
                String message = provider.id() + ": no offers within " + timeout.toMillis() + " ms";
                health.failed(provider.id(), message);
                errors.add(new ProviderFailure(provider.id(), message));
            } catch (ExecutionException e) {
                errors.add(new ProviderFailure(provider.id(), describe(provider.id(), e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add(new ProviderFailure(provider.id(), provider.id() + ": listing was interrupted"));
            }
        });
        all.sort(filter.sort().comparator());
        List<Offer> page = all.stream().skip(filter.offset()).limit(filter.limit()).toList();
        return new OfferListing(page, all.size(), errors);
    }

    /**
     * The offer to rent: as listed within {@link #OFFER_MEMORY}, or else found in a fresh listing of the provider.
     *
     * @return empty when the provider does not list it (any more)
     * @throws ProviderException when the provider cannot be asked
     */
    public Optional<Offer> find(GpuProvider provider, String offerId) {
        Instant now = clock.instant();
        if (!isLocal(provider)) {
            synchronized (remembered) {
                Remembered known = remembered.get(new OfferKey(provider.id(), offerId));
                if (known != null && known.seen().plus(OFFER_MEMORY).isAfter(now)) {
                    return Optional.of(known.offer());
                }
            }
        }
        List<Offer> offers = fetch(provider, OfferQuery.any());
        remember(offers);
        return offers.stream().filter(offer -> offer.id().equals(offerId)).findFirst();
    }

    /** An offer was rented: it is not offered again from memory, and the provider's cached lists are dropped. */
    public void rented(String provider, String offerId) {
        synchronized (remembered) {
            remembered.remove(new OfferKey(provider, offerId));
        }
        cache.keySet().removeIf(key -> key.provider().equals(provider));
    }

    /** Forgets every cached answer, so the next listing asks the providers again. */
    public void invalidate() {
        cache.clear();
        synchronized (remembered) {
            remembered.clear();
        }
    }

    /** The provider's answer to the query: cached, shared with concurrent identical requests, or asked now. */
    private CompletableFuture<List<Offer>> offers(GpuProvider provider, OfferQuery query) {
        if (isLocal(provider) || cacheTtl.isZero() || cacheTtl.isNegative()) {
            return CompletableFuture.supplyAsync(() -> fetch(provider, query), executor);
        }
        Instant now = clock.instant();
        CacheKey key = new CacheKey(provider.id(), query);
        if (cache.size() > MAX_CACHED_QUERIES) {
            cache.values().removeIf(entry -> !entry.expires().isAfter(now));
        }
        CacheEntry entry = cache.compute(key, (k, old) -> old != null && old.expires().isAfter(now)
                && !old.offers().isCompletedExceptionally() ? old
                : new CacheEntry(CompletableFuture.supplyAsync(() -> fetch(provider, query), executor),
                        now.plus(cacheTtl)));
        // A failure is not worth keeping: the next request asks again.
        entry.offers().whenComplete((offers, failure) -> {
            if (failure != null) {
                cache.remove(key, entry);
            }
        });
        return entry.offers();
    }

    private List<Offer> fetch(GpuProvider provider, OfferQuery query) {
        try {
            List<Offer> offers = provider.listOffers(query);
            health.succeeded(provider.id());
            return offers;
        } catch (ProviderException e) {
            health.failed(provider.id(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            Log.warnf(e, "Listing offers of %s failed", provider.id());
            health.failed(provider.id(), describe(provider.id(), e));
            throw e;
        }
    }

    private void remember(List<Offer> offers) {
        Instant now = clock.instant();
        synchronized (remembered) {
            offers.forEach(offer -> remembered.put(new OfferKey(offer.provider(), offer.id()), new Remembered(offer, now)));
        }
    }

    /** The operator's own servers are listed from memory and the database: nothing to cache or remember. */
    private static boolean isLocal(GpuProvider provider) {
        return provider instanceof StaticGpuProvider;
    }

    /** A provider's own message; anything else is an internal failure whose details stay in the log. */
    private static String describe(String provider, Throwable failure) {
        if (failure instanceof ProviderException e) {
            return e.getMessage();
        }
        return provider + ": listing failed unexpectedly (" + failure.getClass().getSimpleName() + ")";
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "gpu-offers-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
