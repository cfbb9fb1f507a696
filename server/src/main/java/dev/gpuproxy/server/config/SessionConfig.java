package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where login sessions live (environment variable {@code SESSION_MODE}). */
@ConfigMapping(prefix = "session")
public interface SessionConfig {

    /** SESSION_MODE: sql, redis or balanced; unset = balanced with Redis configured, sql without. */
    Optional<String> mode();
}
