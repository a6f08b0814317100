package io.poolagent.agent.stats;

import io.poolagent.leak.Borrow;
import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListener;
import io.poolagent.leak.LeakTracker;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The per-DataSource statistics, fed by the tracker's listener chain. On every close it finds the
 * DataSource's {@link SourceStats} by reference (a scan of a small copy-on-write array of weak
 * references: no lock, no allocation, never the DataSource's own equals/hashCode), counts the close
 * and, when the tracker timed it, records the hold time, all in striped counters. Sources are
 * grouped by report name, so two objects that report the same pool name share one entry. Open and
 * flagged counts are computed when read, from the open borrows.
 */
public final class SourceStatsIndex implements LeakListener {
  /** Distinct DataSource names with their own statistics; further ones share {@link #OTHER}. */
  static final int MAX_NAMES = 100;
  /** Live DataSource objects remembered by reference; further ones share {@link #OTHER}. */
  static final int MAX_IDENTITIES = 256;
  /** The name under which DataSources past the limits are counted together. */
  public static final String OTHER = "(other DataSources)";

  private record Entry(WeakReference<Object> source, SourceStats stats) {}

  /** What {@link #openNow} counts per source. */
  public record OpenCounts(int open, int leaked) {}

  private final Function<Object, String> sourceNames;
  private final Map<String, SourceStats> byName = new ConcurrentHashMap<>();
  private final BlockingQueue<SourceStats> added = new LinkedBlockingQueue<>();
  private volatile Entry[] entries = new Entry[0];
  /** While the table is full of live sources, when to look for collected ones again. */
  private volatile long nextPruneNanos;

  /** @param sourceNames names a DataSource as the tracker's reports do */
  public SourceStatsIndex(Function<Object, String> sourceNames) {
    this.sourceNames = sourceNames;
  }

  /** The statistics of {@code source}, created on first sight. */
  public SourceStats statsOf(Object source) {
    Entry[] current = entries;
    for (Entry entry : current) {
      if (entry.source().get() == source) {
        return entry.stats();
      }
    }
    if (current.length >= MAX_IDENTITIES && System.nanoTime() - nextPruneNanos < 0) {
      return named(OTHER);
    }
    return add(source);
  }

  private synchronized SourceStats add(Object source) {
    List<Entry> live = new ArrayList<>(entries.length + 1);
    for (Entry entry : entries) {
      Object known = entry.source().get();
      if (known == source) {
        return entry.stats();
      }
      if (known != null) {
        live.add(entry);
      }
    }
    if (live.size() >= MAX_IDENTITIES) { // all still live: try again in a second, not per borrow
      entries = live.toArray(new Entry[0]);
      nextPruneNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      return named(OTHER);
    }
    String name = sourceNames.apply(source);
    SourceStats stats = byName.containsKey(name) || byName.size() < MAX_NAMES
        ? named(name) : named(OTHER);
    live.add(new Entry(new WeakReference<>(source), stats));
    entries = live.toArray(new Entry[0]);
    return stats;
  }

  /** The statistics of the DataSource named {@code name}, created on first sight. */
  private SourceStats named(String name) {
    SourceStats existing = byName.get(name);
    if (existing != null) {
      return existing;
    }
    synchronized (byName) {
      SourceStats stats = byName.get(name);
      if (stats == null) {
        stats = new SourceStats(name);
        byName.put(name, stats);
        added.add(stats);
      }
      return stats;
    }
  }

  /** Statistics by report name, for findings that carry only the name. */
  private SourceStats forEvent(LeakEvent event) {
    SourceStats stats = byName.get(event.dataSource());
    return stats != null ? stats : named(byName.size() < MAX_NAMES ? event.dataSource() : OTHER);
  }

  /** Every DataSource seen so far. */
  public List<SourceStats> all() {
    return List.copyOf(byName.values());
  }

  /** Waits at most {@code millis} for a DataSource seen for the first time; null if none came. */
  public @Nullable SourceStats nextAdded(long millis) throws InterruptedException {
    return added.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Open borrows now, and those held past the threshold, per DataSource (absent: none open). */
  public IdentityHashMap<SourceStats, OpenCounts> openNow(LeakTracker tracker) {
    long thresholdNanos = TimeUnit.MILLISECONDS.toNanos(tracker.thresholdMillis());
    long now = System.nanoTime();
    IdentityHashMap<SourceStats, int[]> counts = new IdentityHashMap<>();
    for (Borrow borrow : tracker.openBorrows()) {
      int[] c = counts.computeIfAbsent(statsOf(borrow.source()), k -> new int[2]);
      c[0]++;
      if (thresholdNanos > 0 && borrow.heldAtLeastNanos(now) >= thresholdNanos) {
        c[1]++;
      }
    }
    IdentityHashMap<SourceStats, OpenCounts> out = new IdentityHashMap<>();
    counts.forEach((stats, c) -> out.put(stats, new OpenCounts(c[0], c[1])));
    return out;
  }

  /** Open and flagged counts of one DataSource now. */
  public OpenCounts openNow(LeakTracker tracker, SourceStats stats) {
    OpenCounts counts = openNow(tracker).get(stats);
    return counts == null ? new OpenCounts(0, 0) : counts;
  }

  @Override
  public void onRelease(Borrow borrow, long heldNanos) {
    statsOf(borrow.source()).countRelease(heldNanos, borrow.holdWeight());
  }

  @Override
  public void onLeak(LeakEvent event) {
    forEvent(event).countLeak();
  }

  @Override
  public void onReturned(LeakEvent event) {
    forEvent(event).countReturnedAfterLeak();
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    forEvent(event).countGcUnclosed();
  }
}
