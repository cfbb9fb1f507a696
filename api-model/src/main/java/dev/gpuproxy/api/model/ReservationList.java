package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The caller's reservations. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationList(
        @JsonProperty("data") List<Reservation> data) {
    /** A list the server left out reads as empty. */
    public ReservationList {
        data = data == null ? List.of() : data;
    }
}
