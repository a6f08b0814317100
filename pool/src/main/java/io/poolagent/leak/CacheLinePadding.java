package io.poolagent.leak;

/**
 * Leading padding for objects that different threads write at the same time: a pool's connections,
 * and each thread's own slot in the leak tracker and the agent's per-thread call state. Objects
 * allocated one after another, or copied next to each other by the garbage collector, would
 * otherwise share a cache line, and one thread's writes to its object would invalidate the line
 * another core holds for its neighbour (false sharing): two threads each working on their own object
 * would slow each other down. Superclass fields come first in the object, so the fields of two such
 * objects are always at least 64 bytes apart. The int fills the gap after a compressed object
 * header, where the JVM would otherwise place a subclass field ahead of the padding.
 *
 * <p>That protects the fields from what lies before them. What the collector places after the
 * object is protected only by trailing padding, which cannot be inherited: the class that holds the
 * written fields is abstract, and a final subclass of it declares eight longs of its own, laid out
 * after those fields. Without it, a slot's fields and the header of an object every thread reads
 * (the tracker, a close hook's state) can share a line, and which objects end up there changes
 * from run to run: the same benchmark measured two speeds in different forks.
 */
@SuppressWarnings("unused") // never read: the fields only take space
public abstract class CacheLinePadding {
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
