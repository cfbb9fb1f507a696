package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The operator's overview ({@code GET /admin/stats}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminStats(
        @JsonProperty("users") UserCounts users,
        @JsonProperty("active_api_keys") Long activeApiKeys,
        @JsonProperty("instances") InstanceCounts instances,
        @JsonProperty("active_reservations") Long activeReservations,
        @JsonProperty("usage_24h") UsageTotals usage24h,
        @JsonProperty("usage") UsageTotals usage,
        @JsonProperty("credits") CreditTotals credits,
        @JsonProperty("revenue") List<Revenue> revenue) {
    /** A list the server left out reads as empty. */
    public AdminStats {
        revenue = revenue == null ? List.of() : revenue;
    }
}
