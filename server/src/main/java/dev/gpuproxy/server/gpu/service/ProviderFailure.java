package dev.gpuproxy.server.gpu.service;

/** A provider that could not answer a listing, reported next to the offers of the others. */
public record ProviderFailure(String provider, String message) {
}
