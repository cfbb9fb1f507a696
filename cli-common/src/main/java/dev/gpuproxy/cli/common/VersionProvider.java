package dev.gpuproxy.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Answers {@code --version} for both tools with the tool's name, the build's version and the Java runtime. */
public final class VersionProvider implements IVersionProvider {

    private static final String VERSION = loadVersion();

    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        return new String[] {
            spec.root().name() + " " + VERSION,
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** The Maven project version the tools were built from. */
    public static String version() {
        return VERSION;
    }

    private static String loadVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
