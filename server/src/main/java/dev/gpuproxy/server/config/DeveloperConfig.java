package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The two switches of {@code bin/gpuproxyd} for people working on or debugging a server; both off in production.
 * {@code -dv}/{@code --developer-mode} sets DEVELOPER_MODE, {@code -dm}/{@code --debug-mode} sets DEBUG_MODE.
 */
@ConfigMapping(prefix = "developer")
public interface DeveloperConfig {

    /**
     * DEVELOPER_MODE: readable console logs with gpuproxy's own at DEBUG, stack traces in the bodies of 500 answers,
     * the OpenAPI UI at /q/swagger-ui and a banner with the server's URLs at start. Default false.
     */
    @WithDefault("false")
    boolean mode();

    /**
     * DEBUG_MODE: every request and response logged (method, path, masked headers, status, milliseconds; JSON bodies
     * of the REST API up to 8 KB) with secrets masked. Default false.
     */
    @WithDefault("${DEBUG_MODE:false}")
    boolean debugMode();
}
