package dev.gpuproxy.provider.spi;

/**
 * Optional operations a {@link GpuProvider} supports beyond launch, show, list and destroy.
 * The server asks before offering a stop/start/extend action so users never see an action that would fail.
 */
public enum Capability {
    /** Stop a running instance while keeping its disk (billing for GPU time stops). */
    STOP,
    /** Start a previously stopped instance again. */
    START,
    /** Prolong a fixed-duration rental. */
    EXTEND
}
