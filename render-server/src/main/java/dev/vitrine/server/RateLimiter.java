package dev.vitrine.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per key (an artifact and viewer for storage calls, an artifact for CSP
 * reports): {@code ratePerSecond} requests a second on average, bursts up to twice that. Idle
 * buckets are forgotten after ten minutes. Time comes from the injected clock, so tests move it
 * instead of sleeping.
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(50, clock, "storage calls for this artifact and viewer");
 * limiter.acquire(artifactId + "|" + viewer);   // or a 429 naming what was limited
 * }</pre>
 */
final class RateLimiter {
    private final double ratePerMilli;
    private final double capacity;
    private final Clock clock;
    private final String limited;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    private final class Bucket {
        private double tokens = capacity;
        private long updatedAt = clock.millis();

        /**
         * Takes up to {@code wanted} whole tokens; with none there, returns 0 and the milliseconds
         * until the next one.
         */
        synchronized Taken take(int wanted) {
            long now = clock.millis();
            tokens = Math.min(capacity, tokens + (now - updatedAt) * ratePerMilli);
            updatedAt = now;
            int taken = (int) Math.min(wanted, Math.floor(tokens));
            tokens -= taken;
            return new Taken(taken, taken > 0 ? 0 : (long) Math.ceil((1 - tokens) / ratePerMilli));
        }
    }

    private record Taken(int count, long waitMillis) {
    }

    /**
     * @param limited what is limited, for the 429 message, e.g. "storage calls for this artifact and viewer"
     */
    RateLimiter(int ratePerSecond, Clock clock, String limited) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, got " + ratePerSecond + " for " + limited);
        }
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.capacity = 2.0 * ratePerSecond;
        this.clock = clock;
        this.limited = limited;
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @throws ApiException 429 {@code rate_limited} with the wait in seconds when the bucket is empty
     */
    void acquire(String key) {
        acquireUpTo(key, 1);
    }

    /**
     * Takes up to {@code wanted} requests from the key's bucket, as many as it holds: for a
     * batch whose members may be dropped one by one.
     *
     * @return how many were taken, 1 to {@code wanted}
     * @throws ApiException 429 {@code rate_limited} with the wait in seconds when the bucket is empty
     */
    int acquireUpTo(String key, int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be 1 or more; was " + wanted);
        }
        Taken taken = buckets.get(key, k -> new Bucket()).take(wanted);
        if (taken.count() == 0) {
            long seconds = Math.max(1, (taken.waitMillis() + 999) / 1000);
            throw new RateLimitedException(limited, seconds);
        }
        return taken.count();
    }

    /** A 429 that carries its Retry-After. */
    static final class RateLimitedException extends ApiException {
        private final long retryAfterSeconds;

        RateLimitedException(String limited, long retryAfterSeconds) {
            super(429, "rate_limited", "too many " + limited + "; retry in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
