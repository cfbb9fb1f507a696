package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.identity.account.service.UserSnapshot;

/** The authenticated client of a gateway request: the user, which credential it used, and its address. */
public record GatewayCaller(UserSnapshot user, String clientId, String ip) {

    public long userId() {
        return user.id();
    }
}
