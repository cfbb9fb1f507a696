package dev.gpuproxy.cli.common.output;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How a command prints its result: aligned text for people or the server's JSON for scripts. */
public enum OutputFormat {
    TEXT,
    JSON;

    /** Parses {@code text} or {@code json} in any case, with a message that lists both otherwise. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new TypeConversionException("expected text or json but was '" + value + "'");
            };
        }
    }
}
