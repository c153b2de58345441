package dev.vitrine.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, parsed from the forms operators write: {@code 512}, {@code 64KB},
 * {@code 5MB}, {@code 5MiB}, {@code 1GB}. Decimal and binary suffixes both mean powers of
 * 1024, as most server configuration does.
 *
 * <pre>{@code
 * DataSize limit = DataSize.parse("5MB");
 * limit.bytes(); // 5_242_880
 * }</pre>
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,15})\\s*([KMG]?)(I?B)?", Pattern.CASE_INSENSITIVE);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("data size must not be negative, got " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kilobytes) {
        return new DataSize(Math.multiplyExact(kilobytes, 1024L));
    }

    public static DataSize ofMegabytes(long megabytes) {
        return new DataSize(Math.multiplyExact(megabytes, 1024L * 1024L));
    }

    /** Parses {@code 123}, {@code 64KB}, {@code 5MiB}, {@code 2G}; case-insensitive. */
    public static DataSize parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a data size; write a whole number with an optional unit, e.g. 512KB or 5MB");
        }
        long number = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large a data size");
        }
        return new DataSize(number << shift);
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + "KB";
        }
        return bytes + "B";
    }
}
