package dev.gpuproxy.server.identity.auth.rest;

import dev.gpuproxy.server.identity.auth.service.ApiKeyView;
import java.util.List;

/** A user's API keys, as the key listings (the user's own and the admin's) answer them. */
public record KeyList(List<ApiKeyView> data) {}
