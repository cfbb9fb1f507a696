package dev.gpuproxy.server.common.devmode;

import dev.gpuproxy.server.testsupport.SqliteProfile;
import java.util.Map;

/** The make-run shape with DEVELOPER_MODE and DEBUG_MODE on (gpuproxyd -dv -dm). */
public class DeveloperModeProfile extends SqliteProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return withBase(Map.of("developer.mode", "true", "developer.debug-mode", "true"));
    }
}
