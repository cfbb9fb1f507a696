package dev.gpuproxy.cli.common.http;

import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;

/** The server could not be reached at all (refused, unknown host, timed out); always exit code 3. */
public final class ServerUnavailableException extends CliException {

    public ServerUnavailableException(String message, Throwable cause) {
        super(message, ExitCodes.UNAVAILABLE, cause);
    }
}
