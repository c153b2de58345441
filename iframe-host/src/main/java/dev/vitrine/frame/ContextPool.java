package dev.vitrine.frame;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@code size} compiler contexts, each lent to one thread at a time. Contexts are
 * opened when first needed (loading Sucrase into a context costs 50-130 ms once the engine
 * has parsed it), reused while healthy, and replaced after a compile was cancelled.
 */
final class ContextPool implements AutoCloseable {
    private final Supplier<CompilerContext> opener;
    private final int size;
    private final Semaphore lent;
    private final Deque<CompilerContext> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;

    ContextPool(int size, Supplier<CompilerContext> opener) {
        this.size = size;
        this.opener = opener;
        this.lent = new Semaphore(size, true);
    }

    /** Waits for a free context; the caller hands it back with {@link #release} or {@link #replace}. */
    CompilerContext borrow() {
        try {
            lent.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a compiler context");
        }
        CompilerContext context;
        synchronized (this) {
            if (closed) {
                lent.release();
                throw new IllegalStateException("the component compiler is closed");
            }
            context = idle.pollFirst();
            if (context == null) {
                open++;
            }
        }
        return context != null ? context : openCounted();
    }

    void release(CompilerContext context) {
        synchronized (this) {
            if (!closed) {
                idle.offerFirst(context);
                context = null;
            } else {
                open--;
            }
        }
        if (context != null) {
            context.close();
        }
        lent.release();
    }

    /**
     * Closes a context that was cancelled or failed and opens its successor at once, so the
     * caller that caused the failure pays for it rather than the next one.
     */
    void replace(CompilerContext broken) {
        broken.close();
        boolean reopen;
        synchronized (this) {
            reopen = !closed;
            if (!reopen) {
                open--;
            }
        }
        if (!reopen) {
            lent.release();
            return;
        }
        CompilerContext successor;
        try {
            successor = openCounted();
        } catch (RuntimeException e) {
            // Accounted for by openCounted; the next borrow opens a context and reports why it cannot.
            return;
        }
        release(successor);
    }

    /** Adds a context opened outside the pool (by a warm-up) if the pool has room, else closes it. */
    void donate(CompilerContext context) {
        synchronized (this) {
            if (!closed && open < size) {
                open++;
                idle.offerLast(context);
                return;
            }
        }
        context.close();
    }

    private CompilerContext openCounted() {
        try {
            return opener.get();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                open--;
            }
            lent.release();
            throw e;
        }
    }

    @Override
    public void close() {
        Deque<CompilerContext> closing;
        synchronized (this) {
            closed = true;
            closing = new ArrayDeque<>(idle);
            open -= idle.size();
            idle.clear();
        }
        closing.forEach(CompilerContext::close);
    }
}
