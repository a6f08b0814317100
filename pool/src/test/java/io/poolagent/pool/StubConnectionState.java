package io.poolagent.pool;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

/** The observable state of one stub physical connection. */
final class StubConnectionState {
  private static final AtomicInteger IDS = new AtomicInteger();

  final int id = IDS.incrementAndGet();
  volatile boolean closed;
  volatile boolean broken;
  volatile boolean autoCommit = true;
  volatile int isolation = Connection.TRANSACTION_READ_COMMITTED;
  volatile boolean readOnly;
  volatile String schema = "public";
  volatile int rollbacks;
  volatile int autoCommitSets;
  volatile int isolationSets;
  /** Calls of getTransactionIsolation and getSchema: round trips on PostgreSQL. */
  volatile int sessionReads;
  volatile int statements;
  /** Set by tests while a thread uses this connection, to catch two users at once. */
  final AtomicInteger users = new AtomicInteger();
}
