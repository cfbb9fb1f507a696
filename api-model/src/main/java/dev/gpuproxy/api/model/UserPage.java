package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of users of the admin user search ({@code GET /admin/users}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserPage(
        @JsonProperty("data") List<User> data,
        @JsonProperty("total") Long total,
        @JsonProperty("offset") Long offset) {
    /** A list the server left out reads as empty. */
    public UserPage {
        data = data == null ? List.of() : data;
    }
}
