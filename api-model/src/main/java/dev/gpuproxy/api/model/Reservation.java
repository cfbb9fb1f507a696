package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A reservation of several GPUs behind one load-balanced pool. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reservation(
        @JsonProperty("reservation_id") String reservationId,
        @JsonProperty("state") String state,
        @JsonProperty("count") Integer count,
        @JsonProperty("requested") Integer requested,
        @JsonProperty("strategy") String strategy,
        @JsonProperty("pool") String pool,
        @JsonProperty("model") String model,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("released_at") String releasedAt,
        @JsonProperty("reserved") List<ReservedGpu> reserved,
        @JsonProperty("errors") List<String> errors) {
    /** A list the server left out reads as empty. */
    public Reservation {
        reserved = reserved == null ? List.of() : reserved;
        errors = errors == null ? List.of() : errors;
    }
}
