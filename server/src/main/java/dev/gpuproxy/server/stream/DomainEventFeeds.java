package dev.gpuproxy.server.stream;

import dev.gpuproxy.server.credit.service.CreditChanged;
import dev.gpuproxy.server.gpu.reservation.ReservationProgressed;
import dev.gpuproxy.server.gpu.service.InstanceStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Feeds the features' domain events to their WebSocket topics, so credit and gpu do not know that streaming exists.
 * The observers are synchronous: they run inside the firing transaction, where {@link UserEvents#publish} holds the
 * message until that transaction commits (a rolled-back change is never shown).
 */
@ApplicationScoped
class DomainEventFeeds {

    private final UserEvents events;

    DomainEventFeeds(UserEvents events) {
        this.events = events;
    }

    void credits(@Observes CreditChanged changed) {
        events.publish(changed.userId(), Topic.CREDITS, changed.change());
    }

    void instances(@Observes InstanceStateChanged changed) {
        events.publish(changed.userId(), Topic.INSTANCES, changed.instance());
    }

    void reservations(@Observes ReservationProgressed progressed) {
        events.publish(progressed.userId(), Topic.RESERVATIONS, progressed.reservation());
    }
}
