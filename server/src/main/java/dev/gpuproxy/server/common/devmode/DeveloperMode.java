package dev.gpuproxy.server.common.devmode;

import dev.gpuproxy.server.config.DeveloperConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Whether developer and debug mode are on, and what developer mode adds to an answer. */
@Singleton
public class DeveloperMode {

    private static final int MAX_FRAMES = 60;

    private final Instance<DeveloperConfig> config;
    private volatile DeveloperConfig settings;

    // Looked up on first use: exception mappers and REST providers are built before run-time config mappings exist.
    DeveloperMode(Instance<DeveloperConfig> config) {
        this.config = config;
    }

    private DeveloperConfig settings() {
        DeveloperConfig known = settings;
        if (known == null) {
            known = config.get();
            settings = known;
        }
        return known;
    }

    /** DEVELOPER_MODE (gpuproxyd -dv). */
    public boolean developer() {
        return settings().mode();
    }

    /** DEBUG_MODE (gpuproxyd -dm). */
    public boolean debug() {
        return settings().debugMode();
    }

    /** The throwable and its causes as lines, as a developer would read them in a log; at most 60 frames each. */
    public static List<String> stackTrace(Throwable error) {
        List<String> lines = new ArrayList<>();
        Throwable current = error;
        for (int depth = 0; current != null && depth < 10; depth++) {
            lines.add((depth == 0 ? "" : "Caused by: ") + current);
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                lines.add("\tat " + frames[i]);
            }
            if (frames.length > MAX_FRAMES) {
                lines.add("\t... " + (frames.length - MAX_FRAMES) + " more");
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return lines;
    }
}
