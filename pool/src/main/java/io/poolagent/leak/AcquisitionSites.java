package io.poolagent.leak;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The sampled stack capture ({@link StackCapture#SAMPLED}): finds a borrow's acquisition site by
 * walking only the few frames between the tracker and the caller of the outermost getConnection,
 * and returns one full stack per site, captured the first time the site is seen. The site is named
 * by class, method and bytecode index, so two calls on different lines are different sites.
 */
final class AcquisitionSites {
  /** Beyond this many sites, each new site's borrows get their own full stack and are not cached. */
  static final int MAX_SITES = 10_000;
  /** Our own frames plus a few getConnection frames fit in the walker's first batch. */
  private static final StackWalker WALKER = StackWalker.getInstance(Set.of(), 12);

  /** Class, method and bytecode index of the first frame outside the pool and the agent. */
  private record Site(String className, String methodName, int bytecodeIndex) {}

  private final ConcurrentHashMap<Site, Throwable> samples = new ConcurrentHashMap<>();

  /** Stacks of marked call sites, by id; allocated with the first one. */
  private volatile @Nullable AtomicReferenceArray<Throwable> marked;

  /**
   * The shared stack of this borrow's site, capturing it if the site is new.
   *
   * @param callSite the marked call site's id, or 0: then a short stack walk finds the site
   */
  Throwable stackFor(String origin, int callSite) {
    if (callSite > 0 && callSite < MAX_SITES) {
      return stackForMarked(callSite);
    }
    return stackFor(origin);
  }

  /** A marked site: one array read per borrow, and a full capture only on its first borrow. */
  private Throwable stackForMarked(int callSite) {
    AtomicReferenceArray<Throwable> stacks = marked;
    if (stacks == null) {
      synchronized (this) {
        stacks = marked;
        if (stacks == null) {
          stacks = new AtomicReferenceArray<>(MAX_SITES);
          marked = stacks;
        }
      }
    }
    Throwable sample = stacks.get(callSite);
    if (sample != null) {
      return sample;
    }
    Throwable fresh = new Throwable("acquired here");
    return stacks.compareAndSet(callSite, null, fresh) ? fresh : stacks.get(callSite);
  }

  /** The shared stack of this borrow's site, found by a stack walk; captured if the site is new. */
  Throwable stackFor(String origin) {
    @Nullable Site site = WALKER.walk(new FirstCaller(origin));
    if (site == null) {
      return new Throwable("acquired here");
    }
    Throwable sample = samples.get(site);
    if (sample != null) {
      return sample;
    }
    Throwable fresh = new Throwable("acquired here");
    if (samples.size() >= MAX_SITES) {
      return fresh;
    }
    Throwable raced = samples.putIfAbsent(site, fresh);
    return raced != null ? raced : fresh;
  }

  /** Skips our frames and the origin's getConnection frames; names the next one. */
  private static final class FirstCaller implements Function<Stream<StackWalker.StackFrame>, @Nullable Site> {
    private final String origin;

    FirstCaller(String origin) {
      this.origin = origin;
    }

    @Override
    public @Nullable Site apply(Stream<StackWalker.StackFrame> frames) {
      boolean sawOrigin = false;
      for (java.util.Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
        StackWalker.StackFrame f = it.next();
        String type = f.getClassName();
        if (StackTraces.isInternal(type)) {
          continue;
        }
        if (type.equals(origin) && f.getMethodName().equals("getConnection")) {
          sawOrigin = true;
          continue;
        }
        if (!sawOrigin) {
          return null; // an unusual capture point: let a full stack tell
        }
        return new Site(type, f.getMethodName(), f.getByteCodeIndex());
      }
      return null;
    }
  }
}
