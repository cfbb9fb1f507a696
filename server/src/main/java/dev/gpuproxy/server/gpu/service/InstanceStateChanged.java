package dev.gpuproxy.server.gpu.service;

import java.util.Map;

/**
 * One of a user's GPU instances moved to another state. Fired synchronously inside the transaction that records it, so
 * an observer that tells the user (the {@code instances} WebSocket topic) can wait for the commit.
 *
 * @param instance what the user is told: id, state, provider, GPU model, reservation, endpoint
 */
public record InstanceStateChanged(long userId, Map<String, ?> instance) {}
