package dev.gpuproxy.server.gpu.reservation;

import dev.gpuproxy.provider.spi.Offer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders offers for a reservation so that consecutive picks land on different machines: the best offer of every host
 * first (hosts in order of their best offer, alternating providers), then every host's second best, and so on. Sixteen
 * GPUs then come from sixteen hosts when there are that many, and one flaky host cannot take the whole reservation down.
 */
final class OfferSpread {

    private OfferSpread() {
    }

    /** {@code ranked} best first; an offer without a host id counts as a host of its own. */
    static List<Offer> order(List<Offer> ranked) {
        Map<String, List<Offer>> byHost = new LinkedHashMap<>();
        for (Offer offer : ranked) {
            String host = offer.provider() + "/" + (offer.hostId() == null ? "offer:" + offer.id() : offer.hostId());
            byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(offer);
        }
        // Hosts interleaved by provider, each provider's hosts in rank order.
        Map<String, List<List<Offer>>> byProvider = new LinkedHashMap<>();
        byHost.values().forEach(list -> byProvider.computeIfAbsent(list.get(0).provider(), p -> new ArrayList<>())
                .add(list));
        List<List<Offer>> hosts = new ArrayList<>();
        for (int i = 0; hosts.size() < byHost.size(); i++) {
            for (List<List<Offer>> providerHosts : byProvider.values()) {
                if (i < providerHosts.size()) {
                    hosts.add(providerHosts.get(i));
                }
            }
        }
        List<Offer> result = new ArrayList<>(ranked.size());
        for (int round = 0; result.size() < ranked.size(); round++) {
            for (List<Offer> host : hosts) {
                if (round < host.size()) {
                    result.add(host.get(round));
                }
            }
        }
        return result;
    }
}
