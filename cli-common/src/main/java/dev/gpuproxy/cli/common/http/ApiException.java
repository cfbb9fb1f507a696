package dev.gpuproxy.cli.common.http;

import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;
import java.util.Optional;

/**
 * The server answered with an error status. The message is the problem's {@code detail} (what the user should
 * read); status, code, type and title stay available for {@code --verbose} and for callers that branch on them.
 */
public final class ApiException extends CliException {

    private final int status;
    private final String code;
    private final String type;
    private final String title;

    public ApiException(int status, String detail, String code, String type, String title) {
        super(detail, exitCodeFor(status), null);
        this.status = status;
        this.code = code;
        this.type = type;
        this.title = title;
    }

    /** Exit 3 when the server asks to come back later (429, 502, 503, 504), otherwise 1. */
    static int exitCodeFor(int status) {
        return switch (status) {
            case 429, 502, 503, 504 -> ExitCodes.UNAVAILABLE;
            default -> ExitCodes.ERROR;
        };
    }

    public int status() {
        return status;
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /** One line for --verbose: status, title, code and type as far as the server sent them. */
    public String summary() {
        StringBuilder line = new StringBuilder("HTTP ").append(status);
        title().ifPresent(value -> line.append(' ').append(value));
        code().ifPresent(value -> line.append(", code ").append(value));
        type().ifPresent(value -> line.append(", type ").append(value));
        return line.toString();
    }
}
