package dev.vitrine.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per key (here: artifact and viewer): {@code ratePerSecond} requests a
 * second on average, bursts up to twice that. Idle buckets are forgotten after ten
 * minutes. Time comes from the injected clock, so tests move it instead of sleeping.
 */
final class RateLimiter {
    private final double ratePerMilli;
    private final double capacity;
    private final Clock clock;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    private final class Bucket {
        private double tokens = capacity;
        private long updatedAt = clock.millis();

        /** Milliseconds to wait before a request is allowed; 0 when it is allowed now. */
        synchronized long take() {
            long now = clock.millis();
            tokens = Math.min(capacity, tokens + (now - updatedAt) * ratePerMilli);
            updatedAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerMilli);
        }
    }

    RateLimiter(int ratePerSecond, Clock clock) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("storage-rate must be at least 1 per second, got " + ratePerSecond);
        }
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.capacity = 2.0 * ratePerSecond;
        this.clock = clock;
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @throws ApiException 429 {@code rate_limited} with the wait in seconds when the bucket is empty
     */
    void acquire(String key) {
        long waitMillis = buckets.get(key, k -> new Bucket()).take();
        if (waitMillis > 0) {
            long seconds = Math.max(1, (waitMillis + 999) / 1000);
            throw new RateLimitedException(seconds);
        }
    }

    /** A 429 that carries its Retry-After. */
    static final class RateLimitedException extends ApiException {
        private final long retryAfterSeconds;

        RateLimitedException(long retryAfterSeconds) {
            super(429, "rate_limited", "too many storage calls for this artifact and viewer; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
