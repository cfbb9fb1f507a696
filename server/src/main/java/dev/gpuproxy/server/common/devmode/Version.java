package dev.gpuproxy.server.common.devmode;

/**
 * {@code gpuproxyd --version}: prints the version the server jar was built as, without starting the server
 * ({@code bin/gpuproxyd} runs it with the application jar alone on the class path).
 */
public final class Version {

    private Version() {
    }

    public static void main(String[] args) {
        String version = Version.class.getPackage().getImplementationVersion();
        System.out.println("gpuproxyd " + (version == null ? "(unknown version)" : version));
    }
}
