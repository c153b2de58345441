package dev.vitrine.storage;

/**
 * The rules for {@code window.storage} values: text that UTF-8 can represent and PostgreSQL's
 * {@code text} can hold, no larger than the value limit. Sized in one pass over the characters,
 * without encoding a copy of a value that may be megabytes long.
 */
final class StorageValues {

    private StorageValues() {
    }

    /**
     * Returns the UTF-8 size of {@code value}.
     *
     * @throws StorageRejectedException with code {@code invalid_value} for U+0000 or a lone
     *         surrogate, or {@code value_too_large} if it is larger than {@code maxValueBytes}
     */
    static long requireValid(String value, long maxValueBytes) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                // PostgreSQL text cannot hold it while SQLite can; refusing it on every backend
                // keeps one contract instead of a 500 on one database and success on the other.
                throw new StorageRejectedException(StorageRejectedException.INVALID_VALUE,
                        "value must not contain U+0000 (NUL); found at index " + i);
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new StorageRejectedException(StorageRejectedException.INVALID_VALUE,
                        "value must be well-formed text; found a lone surrogate "
                                + String.format("U+%04X", (int) c) + " at index " + i
                                + ", which has no UTF-8 form");
            } else {
                bytes += 3;
            }
        }
        if (bytes > maxValueBytes) {
            throw new StorageRejectedException(StorageRejectedException.VALUE_TOO_LARGE,
                    "value is " + bytes + " bytes; the limit is " + maxValueBytes + " bytes per value");
        }
        return bytes;
    }
}
