package dev.gpuproxy.cli.common;

/**
 * The exit codes both tools promise to scripts: 0 success, 1 the command failed (including a server-side refusal of
 * the request itself, such as a 404 or 403), 2 the command line was wrong, 3 the server or database could not be
 * reached or asked to come back later (connection refused, timeout, 429, 502, 503, 504).
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int UNAVAILABLE = 3;

    private ExitCodes() {
    }
}
