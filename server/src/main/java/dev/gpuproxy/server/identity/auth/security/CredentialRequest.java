package dev.gpuproxy.server.identity.auth.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented credential: an API key ({@code gpx_...}) or an access token (JWT). */
public final class CredentialRequest extends BaseAuthenticationRequest {

    private final String credential;

    public CredentialRequest(String credential) {
        this.credential = credential;
    }

    public String credential() {
        return credential;
    }
}
