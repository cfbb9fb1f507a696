package dev.gpuproxy.cli.common;

/**
 * A failure a command reports to the user as one error line; its message must be fit to print (no secrets) and
 * the exit code says what kind of failure it was (see {@link ExitCodes}).
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(String message) {
        this(message, ExitCodes.ERROR, null);
    }

    public CliException(String message, Throwable cause) {
        this(message, ExitCodes.ERROR, cause);
    }

    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
