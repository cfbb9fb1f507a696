package dev.gpuproxy.server.common.devmode;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns DEVELOPER_MODE into the Quarkus settings it stands for, decided when the server starts: gpuproxy's loggers
 * at DEBUG, a short readable console line, and the OpenAPI UI (packaged, but off unless developer mode is on).
 * Same priority as the operator settings: above application.properties, below explicit environment variables.
 */
public class DeveloperModeConfigSourceFactory implements ConfigSourceFactory {

    static final int PRIORITY = 275;
    /** Time, level, short logger name, message: what a person reads in a terminal. */
    static final String READABLE_FORMAT = "%d{HH:mm:ss.SSS} %-5p [%c{3.}] (%t) %s%e%n";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean developer = enabled(context.getValue("developer.mode"));
        Map<String, String> derived = new HashMap<>();
        derived.put("quarkus.swagger-ui.enabled", String.valueOf(developer));
        if (developer) {
            derived.put("quarkus.log.category.\"dev.gpuproxy\".level", "DEBUG");
            derived.put("quarkus.log.console.format", READABLE_FORMAT);
        }
        return List.of(new PropertiesConfigSource(derived, "gpuproxy-developer-mode", PRIORITY));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(PRIORITY);
    }

    private static boolean enabled(ConfigValue value) {
        return value != null && value.getValue() != null && Boolean.parseBoolean(value.getValue().trim());
    }
}
