package io.poolagent.pool;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a pool's state and counters. Total, idle and active come from one pass over the
 * connections, so {@code total == idle + active} holds within a snapshot.
 *
 * @param poolName the pool's name
 * @param total physical connections open now (idle + active)
 * @param idle connections ready to borrow (including any the maintenance task is checking)
 * @param active connections borrowed now
 * @param waiting threads waiting for a connection now
 * @param maxSize the current maximum
 * @param acquisitions borrows since the pool started
 * @param releases returns since the pool started
 * @param creationFailures failed attempts to open or validate a new connection
 * @param timeouts acquires that timed out
 * @param averageAcquisitionWait mean time getConnection() waited for a connection (one that found
 *     an idle connection needing no validation counts as 0: the pool reads the clock only once then)
 * @param maxAcquisitionWait longest time getConnection() waited for a connection
 * @param peakActive the most connections seen borrowed at once (counted whenever a borrow cannot
 *     take back its own thread's last connection, and at every snapshot; not on every borrow, to keep
 *     the hot path free of shared state, so a brief overlap of threads that each reuse their own
 *     connection can go unseen)
 * @param createdAt when the pool started
 * @param lastError the last error's message (never the password), or null
 * @param lastErrorAt when it happened, or null
 */
public record PoolStats(
    String poolName,
    int total,
    int idle,
    int active,
    int waiting,
    int maxSize,
    long acquisitions,
    long releases,
    long creationFailures,
    long timeouts,
    Duration averageAcquisitionWait,
    Duration maxAcquisitionWait,
    int peakActive,
    Instant createdAt,
    @Nullable String lastError,
    @Nullable Instant lastErrorAt) {

  /** The state part, as used in messages: total/idle/active/waiting. */
  public String stateText() {
    return "total=" + total + ", idle=" + idle + ", active=" + active + ", waiting=" + waiting
        + ", max=" + maxSize;
  }
}
