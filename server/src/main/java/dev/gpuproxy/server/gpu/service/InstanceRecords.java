package dev.gpuproxy.server.gpu.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuproxy.provider.spi.Instance;
import dev.gpuproxy.provider.spi.InstanceState;
import dev.gpuproxy.provider.spi.LaunchSpec;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.gpu.repository.GpuInstanceEntity;
import dev.gpuproxy.server.gpu.repository.GpuInstanceRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The database side of instances, one short transaction per step: opening a rental before the provider is asked,
 * recording what the provider answered, applying what the poller saw (state, endpoint, running time charged), and
 * ending it. GPU time is charged here, in the same transaction that moves {@code charged_until}.
 */
@ApplicationScoped
@Transactional
public class InstanceRecords {

    /** Provider ids of rows whose provider has not answered yet start with this. */
    static final String UNCONFIRMED = "unconfirmed:";
    /** How long a row may wait for its provider's answer before the poller gives it up. */
    static final Duration UNCONFIRMED_GRACE = Duration.ofMinutes(10);

    private final GpuInstanceRepository repository;
    private final GpuTimeBilling billing;
    private final Clock clock;
    private final ObjectMapper json;
    private final Event<InstanceStateChanged> changes;

    InstanceRecords(GpuInstanceRepository repository, GpuTimeBilling billing, Clock clock, ObjectMapper json,
                    Event<InstanceStateChanged> changes) {
        this.changes = changes;
        this.repository = repository;
        this.billing = billing;
        this.clock = clock;
        this.json = json;
    }

    /** What the poller needs to ask a provider about a live row. */
    public record LiveInstance(long id, long userId, String provider, String providerInstanceId, Instant createdAt) {

        /** The provider has not confirmed the rental yet (or the server stopped before it could record the answer). */
        public boolean unconfirmed() {
            return providerInstanceId.startsWith(UNCONFIRMED);
        }
    }

    /**
     * What applying one observation did.
     *
     * @param ended   the instance has ended
     * @param pastCap a charge found the owner past their credit cap: the instance must be stopped
     */
    public record Observation(boolean ended, boolean pastCap) {
    }

    /**
     * First step of a rental: the row (pending, with a placeholder provider id) and the first hour's authorization.
     *
     * @return the row id
     * @throws ApiException 409 when the offer is a static server another tenant holds; the billing's refusal (402)
     */
    public long open(long userId, String provider, Offer offer, LaunchSpec spec) {
        Instant now = now();
        GpuInstanceEntity row = new GpuInstanceEntity();
        row.userId = userId;
        row.provider = provider;
        row.providerInstanceId = UNCONFIRMED + UUID.randomUUID();
        row.offerId = offer.id();
        row.offerSnapshot = snapshot(offer, spec);
        row.gpuModel = offer.gpuName();
        row.gpuCount = Math.max(offer.gpuCount(), 1);
        // Whole GB, rounded down: vast.ai's 24564 MB card is a 24 GB card, never a 25 GB one.
        row.vramGb = offer.vramGb() >= 1 ? (int) Math.floor(offer.vramGb()) : null;
        row.state = stateName(InstanceState.PENDING);
        row.pricePerHourMicros = PriceMicros.of(offer.pricePerHour());
        row.createdAt = now;
        row.updatedAt = now;
        if (!repository.insertUnlessTaken(row)) {
            throw new ApiException(409, "offer_unavailable", "Offer " + offer.id() + " of " + provider
                    + " is already rented", Map.of("provider", provider), Map.of());
        }
        billing.authorizeFirstHour(userId, row.id, offer.pricePerHour());
        stateChanged(row);
        return row.id;
    }

    /** The provider refused or failed: nothing was rented, so the row goes and any hold is returned. */
    public void abandon(long rowId) {
        repository.findById(rowId).ifPresent(row -> {
            repository.delete(row);
            billing.releaseAuthorization(row.userId, row.id);
        });
    }

    /** The provider accepted the rental: its id, and whatever state and address it reported at once. */
    public GpuInstance accepted(long rowId, Instance launched) {
        GpuInstanceEntity row = repository.lockById(rowId).orElseThrow();
        row.providerInstanceId = launched.id();
        apply(row, launched, now());
        return view(row);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GpuInstance> listOwned(long userId, boolean includeEnded) {
        return repository.listOwned(userId, includeEnded).stream().map(InstanceRecords::view).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<GpuInstance> findOwned(long userId, String provider, String providerInstanceId) {
        return repository.findOwned(userId, provider, providerInstanceId).map(InstanceRecords::view);
    }

    /** Every tenant's live instances, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GpuInstance> listLive() {
        return repository.listLive().stream().map(InstanceRecords::view).toList();
    }

    public List<Long> liveIds() {
        return repository.liveIds();
    }

    public Optional<LiveInstance> live(long rowId) {
        return repository.findById(rowId).filter(row -> row.endedAt == null)
                .map(row -> new LiveInstance(row.id, row.userId, row.provider, row.providerInstanceId, row.createdAt));
    }

    /** Offer ids of a provider's live rows: for {@code static}, the servers currently assigned. */
    public Set<String> liveOfferIds(String provider) {
        return repository.liveOfferIds(provider);
    }

    /**
     * Applies what the provider reports about a live instance: state, endpoint and price, and charges the whole
     * minutes it has been running since {@code charged_until}. Empty means the provider no longer knows it: it ended.
     */
    public Observation observe(long rowId, Optional<Instance> reported) {
        GpuInstanceEntity row = repository.lockById(rowId).orElse(null);
        if (row == null || row.endedAt != null) {
            return new Observation(true, false);
        }
        Instant now = now();
        if (reported.isEmpty()) {
            Log.infof("Instance %d (%s %s) is gone at the provider", row.id, row.provider, row.providerInstanceId);
            end(row, now, InstanceState.TERMINATED);
            return new Observation(true, false);
        }
        boolean pastCap = apply(row, reported.get(), now);
        return new Observation(row.endedAt != null, pastCap);
    }

    /**
     * Ends a live instance (released by its owner, stopped past cap, or never confirmed): the last started minute is
     * charged and any hold released. Ending an ended instance changes nothing.
     */
    public GpuInstance end(long rowId, InstanceState finalState) {
        GpuInstanceEntity row = repository.lockById(rowId).orElseThrow();
        if (row.endedAt == null) {
            end(row, now(), finalState);
        }
        return view(row);
    }

    private void end(GpuInstanceEntity row, Instant now, InstanceState finalState) {
        if (row.chargedUntil != null) {
            charge(row, RunningTimeMeter.atEnd(row.chargedUntil, now));
        }
        row.state = stateName(finalState);
        row.endedAt = now;
        row.updatedAt = now;
        billing.releaseAuthorization(row.userId, row.id);
        stateChanged(row);
    }

    /** @return whether a charge found the owner past their cap */
    private boolean apply(GpuInstanceEntity row, Instance reported, Instant now) {
        InstanceState state = reported.state();
        boolean pastCap = false;
        if (row.chargedUntil != null) {
            boolean running = state == InstanceState.RUNNING;
            RunningTimeMeter.Due due = running ? RunningTimeMeter.whileRunning(row.chargedUntil, now)
                    : RunningTimeMeter.atEnd(row.chargedUntil, now);
            pastCap = charge(row, due);
            if (!running) {
                // Charging resumes from the moment it is seen running again.
                row.chargedUntil = null;
            }
        } else if (state == InstanceState.RUNNING) {
            row.chargedUntil = now;
        }
        String before = row.state;
        row.state = stateName(state);
        // An address is only worth showing once something answers there.
        String endpoint = state == InstanceState.RUNNING ? endpoint(reported, requestedPorts(row)) : null;
        if (endpoint != null) {
            row.endpoint = endpoint;
        }
        if (reported.pricePerHour() != null && reported.pricePerHour().signum() > 0) {
            row.pricePerHourMicros = PriceMicros.of(reported.pricePerHour());
        }
        if (row.gpuModel == null && reported.gpuName() != null) {
            row.gpuModel = reported.gpuName();
        }
        if (state.isFinal()) {
            row.endedAt = now;
            billing.releaseAuthorization(row.userId, row.id);
        }
        row.updatedAt = now;
        if (!row.state.equals(before)) {
            stateChanged(row);
        }
        return pastCap;
    }

    /** Charges the due minutes at the row's price and moves the mark; @return whether the owner is past cap. */
    private boolean charge(GpuInstanceEntity row, RunningTimeMeter.Due due) {
        if (!due.any()) {
            return false;
        }
        String key = RunningTimeMeter.idempotencyKey(row.id, row.chargedUntil);
        ChargeResult result = billing.chargeRunningTime(row.userId, row.id, due.period(),
                PriceMicros.toDollars(row.pricePerHourMicros), key);
        row.chargedUntil = due.chargedUntil();
        return result.pastCap();
    }

    /**
     * Where to reach the instance: a static server's URL as declared; else {@code host:port} of the first requested
     * port the provider published, or of the first published port other than SSH; else the bare host.
     */
    static String endpoint(Instance instance, List<Integer> requestedPorts) {
        String host = instance.host() == null ? null : instance.host().strip();
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.contains("://")) {
            return host;
        }
        Map<Integer, Integer> ports = instance.portMap();
        for (int port : requestedPorts) {
            if (ports.containsKey(port)) {
                return host + ":" + ports.get(port);
            }
        }
        return ports.keySet().stream().filter(port -> port != 22).sorted().findFirst()
                .map(port -> host + ":" + ports.get(port))
                .orElse(host);
    }

    private List<Integer> requestedPorts(GpuInstanceEntity row) {
        List<Integer> ports = new ArrayList<>();
        if (row.offerSnapshot == null) {
            return ports;
        }
        try {
            json.readTree(row.offerSnapshot).path("launch").path("ports").forEach(port -> ports.add(port.asInt()));
        } catch (JsonProcessingException e) {
            Log.warnf("Instance %d has an unreadable offer snapshot", row.id);
        }
        return ports;
    }

    /** The offer as listed and what was asked to run; environment variable names only, their values may be secrets. */
    private String snapshot(Offer offer, LaunchSpec spec) {
        Map<String, Object> offerPart = new LinkedHashMap<>();
        offerPart.put("id", offer.id());
        offerPart.put("gpu_name", offer.gpuName());
        offerPart.put("gpu_count", offer.gpuCount());
        offerPart.put("vram_gb", offer.vramGb());
        offerPart.put("cpu_cores", offer.cpuCores());
        offerPart.put("ram_gb", offer.ramGb());
        offerPart.put("storage_gb", offer.storageGb());
        offerPart.put("price_per_hour", offer.pricePerHour());
        offerPart.put("location", offer.location());
        offerPart.put("reliability", offer.reliability());
        offerPart.put("dlperf", offer.dlperf());
        offerPart.put("host_id", offer.hostId());
        Map<String, Object> launchPart = new LinkedHashMap<>();
        launchPart.put("image", spec.image());
        launchPart.put("ports", spec.ports());
        launchPart.put("disk_gb", spec.diskGb());
        launchPart.put("label", spec.label());
        launchPart.put("env", List.copyOf(spec.env().keySet()));
        try {
            return json.writeValueAsString(Map.of("offer", offerPart, "launch", launchPart));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("offer snapshot cannot be written", e);
        }
    }

    static GpuInstance view(GpuInstanceEntity row) {
        return new GpuInstance(row.id, row.provider, row.providerInstanceId, row.offerId, row.gpuModel, row.gpuCount,
                row.vramGb, row.state, PriceMicros.toDollars(row.pricePerHourMicros), row.endpoint, row.createdAt,
                row.endedAt);
    }

    static String stateName(InstanceState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Millisecond precision: what both databases store, so a value read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Tells the owner's WebSocket clients (after commit) where the instance is now. */
    private void stateChanged(GpuInstanceEntity row) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", row.id);
        data.put("state", row.state);
        data.put("provider", row.provider);
        data.put("gpu_model", row.gpuModel);
        data.put("reservation_id", row.reservationId);
        data.put("endpoint", row.endpoint);
        changes.fire(new InstanceStateChanged(row.userId, data));
    }
}
