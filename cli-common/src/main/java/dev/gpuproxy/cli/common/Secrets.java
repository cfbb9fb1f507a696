package dev.gpuproxy.cli.common;

/**
 * Turns secrets into something safe to print: an API key keeps its public prefix ({@code gpx_ab12cd_…}), other
 * tokens their first four characters, passwords nothing.
 */
public final class Secrets {

    private static final String ELLIPSIS = "…";

    private Secrets() {
    }

    /** The printable form of an API key or token. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        if (secret.startsWith("gpx_")) {
            int secretStart = secret.indexOf('_', 4);
            if (secretStart > 4) {
                return secret.substring(0, secretStart + 1) + ELLIPSIS;
            }
        }
        return secret.length() > 8 ? secret.substring(0, 4) + ELLIPSIS : ELLIPSIS;
    }

    /** The printable form of a password: never any of it. */
    public static String maskPassword(String password) {
        return "***";
    }
}
