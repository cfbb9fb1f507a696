package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The WebSocket endpoint {@code /ws} (environment variables WS_*). */
@ConfigMapping(prefix = "stream")
public interface StreamConfig {

    /** WS_IDLE_TIMEOUT: a connection that sent nothing (not even a pong to our pings) for this long is closed. */
    @WithDefault("${WS_IDLE_TIMEOUT:60s}")
    Duration idleTimeout();

    /**
     * WS_SEND_QUEUE: messages waiting to reach one client before it counts as too slow and is disconnected, so a
     * client that does not read cannot make the server buffer without bound.
     */
    @WithDefault("${WS_SEND_QUEUE:256}")
    int sendQueue();

    /** WS_LOAD_INTERVAL: how often subscribers of {@code loads} get a snapshot of their pools. */
    @WithDefault("${WS_LOAD_INTERVAL:5s}")
    Duration loadInterval();

    /**
     * WS_AUTH_RECHECK: how often open connections' credentials are verified again; a connection whose session
     * ended (logout), key was revoked or account was disabled is closed with 4401 within about this long.
     */
    @WithDefault("${WS_AUTH_RECHECK:2s}")
    Duration authRecheck();

    /** WS_MAX_CHATS: streamed chat requests one connection may run at the same time. */
    @WithDefault("${WS_MAX_CHATS:4}")
    int maxChats();
}
