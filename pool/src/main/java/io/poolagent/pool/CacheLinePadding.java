package io.poolagent.pool;

/**
 * Leading padding for objects that different threads write at the same time. Connections of a pool
 * are usually allocated one after another; without this, one thread's writes to its connection's
 * state and counts would invalidate the cache line another core holds for a neighbouring connection
 * (false sharing), and two threads each reusing their own connection would slow each other down.
 * Superclass fields come first in the object, so the fields of two such objects are always at least
 * 64 bytes apart. The int fills the gap after a compressed object header, where the JVM would
 * otherwise place a subclass field ahead of the padding.
 */
@SuppressWarnings("unused") // never read: the fields only take space
abstract class CacheLinePadding {
  private int gap;
  private long p0;
  private long p1;
  private long p2;
  private long p3;
  private long p4;
  private long p5;
  private long p6;
  private long p7;
}
