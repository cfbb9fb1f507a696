package dev.gpuproxy.provider.spi;

/**
 * Provider-neutral life cycle of a rented GPU instance, mapped from each marketplace's own status words.
 */
public enum InstanceState {
    /** Accepted by the provider, no machine work started yet. */
    PENDING,
    /** The machine is pulling the image or booting. */
    LOADING,
    /** Up; its endpoint can be used and it is billed. */
    RUNNING,
    /** Stopped but still held (disk kept); may be started again. */
    STOPPED,
    /** The provider reports an error or lost the machine. */
    FAILED,
    /** Ended for good (destroyed, expired or finished). */
    TERMINATED;

    /** Whether the instance has ended and will never run again. */
    public boolean isFinal() {
        return this == TERMINATED;
    }
}
