package io.poolagent.agent;

import io.poolagent.config.DurationText;
import io.poolagent.config.ScanInterval;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The agent's options, read from {@code -javaagent:pool-agent.jar=key=value,...}, then
 * {@code -Dpoolagent.<key>=}, then the environment ({@code POOLAGENT_<KEY>}), then the default. An
 * invalid value is reported as one line in {@link #problems()} and the default is used: bad options
 * never stop the application.
 */
public final class AgentOptions {
  /** Every option, in documentation order. */
  public enum Key {
    LEAK_THRESHOLD("leakThreshold", "30s",
        "how long a connection may be held before it is flagged; 0 tracks but never flags"),
    SCAN_INTERVAL("scanInterval", "threshold/10, within 10ms..1s",
        "how often the one sweeper thread looks for leaks"),
    STACK_TRACE("stackTrace", "true",
        "record where each connection was acquired: true (a full stack per borrow), sampled (the"
        + " site per borrow, a full stack once per site) or false"),
    REPORT("report", "none", "a JSON Lines file to append leak events to"),
    JMX("jmx", "true", "publish the poolagent MBeans on the platform MBeanServer"),
    METRICS("metrics", "true",
        "publish Micrometer meters per DataSource under the JMX domain poolagent.metrics (needs jmx)"),
    HOLD_EVENTS("holdEvents", "false",
        "emit a JFR event poolagent.ConnectionHeld for every borrow when it is closed"),
    HOLD_TIMES("holdTimes", "sampled",
        "which hold times feed the JMX and Micrometer statistics: sampled (about one borrow in 16"
        + " per thread is timed, every close is counted) or every (two clock reads per borrow)");

    private final String key;
    private final String defaultText;
    private final String meaning;

    Key(String key, String defaultText, String meaning) {
      this.key = key;
      this.defaultText = defaultText;
      this.meaning = meaning;
    }

    public String key() {
      return key;
    }

    public String defaultText() {
      return defaultText;
    }

    public String meaning() {
      return meaning;
    }

    /** The system property name, {@code poolagent.<key>}. */
    public String property() {
      return "poolagent." + key;
    }

    /** The environment variable name, {@code POOLAGENT_<KEY>} in upper snake case. */
    public String environment() {
      return "POOLAGENT_" + name();
    }

    /** The value {@code text} stands for; IllegalArgumentException names what is allowed. */
    Object parse(String text) {
      return switch (this) {
        case LEAK_THRESHOLD -> DurationText.parse(text, true);
        case SCAN_INTERVAL -> DurationText.parse(text, false);
        case STACK_TRACE -> parseStackMode(text);
        case REPORT -> parsePath(text);
        case JMX, METRICS, HOLD_EVENTS -> parseBoolean(text);
        case HOLD_TIMES -> parseHoldTimes(text);
      };
    }

    static @Nullable Key byName(String key) {
      for (Key k : values()) {
        if (k.key.equals(key)) {
          return k;
        }
      }
      return null;
    }
  }

  private final Duration leakThreshold;
  private final @Nullable Duration scanInterval;
  /**
   * {@code true}, {@code false} or {@code sampled}. Kept as text: this class is loaded by
   * {@link PoolAgent#install} before the agent puts the leak engine (and its {@code StackCapture})
   * on the bootstrap path, so it must not name any engine type.
   */
  private final String stackTrace;
  private final @Nullable Path report;
  private final boolean jmx;
  private final boolean metrics;
  private final boolean holdEvents;
  /** {@code sampled} or {@code every}. */
  private final String holdTimes;
  private final List<String> problems;
  private final List<String> strictProblems;

  private AgentOptions(Reader reader) {
    // no lambdas here: each one costs about a millisecond of the application's start-up
    Duration threshold = (Duration) reader.optional(Key.LEAK_THRESHOLD);
    this.leakThreshold = threshold == null ? Duration.ofSeconds(30) : threshold;
    this.scanInterval = (Duration) reader.optional(Key.SCAN_INTERVAL);
    String mode = (String) reader.optional(Key.STACK_TRACE);
    this.stackTrace = mode == null ? "true" : mode;
    this.report = (Path) reader.optional(Key.REPORT);
    this.jmx = reader.flag(Key.JMX, true);
    this.metrics = reader.flag(Key.METRICS, true);
    this.holdEvents = reader.flag(Key.HOLD_EVENTS, false);
    String timing = (String) reader.optional(Key.HOLD_TIMES);
    this.holdTimes = timing == null ? "sampled" : timing;
    this.problems = List.copyOf(reader.problems);
    this.strictProblems = List.copyOf(reader.strictProblems);
  }

  private AgentOptions(AgentOptions changeable, AgentOptions startOnly) {
    this.leakThreshold = changeable.leakThreshold;
    this.scanInterval = changeable.scanInterval;
    this.stackTrace = changeable.stackTrace;
    this.report = startOnly.report;
    this.jmx = startOnly.jmx;
    this.metrics = startOnly.metrics;
    this.holdEvents = startOnly.holdEvents;
    this.holdTimes = startOnly.holdTimes;
    this.problems = changeable.problems;
    this.strictProblems = changeable.strictProblems;
  }

  /**
   * These options with the report file, jmx, metrics, holdEvents and holdTimes of {@code first}:
   * those are fixed when the agent starts, and a later attach changes only the rest.
   */
  AgentOptions withStartOnly(AgentOptions first) {
    return new AgentOptions(this, first);
  }

  /**
   * These options with another threshold and stack capture mode, as JMX sets them; a scan interval
   * that was not set is derived from the new threshold.
   */
  AgentOptions withLeakSettings(Duration threshold, String stackTraceMode) {
    return new AgentOptions(this, threshold, stackTraceMode);
  }

  private AgentOptions(AgentOptions base, Duration threshold, String stackTraceMode) {
    this.leakThreshold = threshold;
    this.scanInterval = base.scanInterval;
    this.stackTrace = stackTraceMode;
    this.report = base.report;
    this.jmx = base.jmx;
    this.metrics = base.metrics;
    this.holdEvents = base.holdEvents;
    this.holdTimes = base.holdTimes;
    this.problems = base.problems;
    this.strictProblems = base.strictProblems;
  }

  /** The key of one {@code key=value} pair of agent arguments, trimmed; null when it has no '='. */
  public static @Nullable String keyOf(String pair) {
    int eq = pair.indexOf('=');
    return eq < 0 ? null : pair.substring(0, eq).trim();
  }

  /** Reads the options from agent arguments, system properties and environment, in that order. */
  public static AgentOptions parse(@Nullable String agentArgs, Map<String, String> properties,
      Map<String, String> environment) {
    return new AgentOptions(new Reader(agentArgs, properties, environment));
  }

  /** Reads the options of this JVM. */
  public static AgentOptions fromJvm(@Nullable String agentArgs) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("poolagent.")) {
        props.put(name, System.getProperty(name));
      }
    }
    return parse(agentArgs, props, System.getenv());
  }

  public Duration leakThreshold() {
    return leakThreshold;
  }

  /** The scan interval: as configured, or derived from the threshold. */
  public Duration scanInterval() {
    return scanInterval != null
        ? scanInterval
        : ScanInterval.forThreshold(leakThreshold);
  }

  /** True when stacks are captured, fully or sampled. */
  public boolean stackTrace() {
    return !stackTrace.equals("false");
  }

  /** The stack capture mode as the option's text: {@code true}, {@code false} or {@code sampled}. */
  public String stackTraceMode() {
    return stackTrace;
  }

  /** The report file, or null for none. */
  public @Nullable Path report() {
    return report;
  }

  public boolean jmx() {
    return jmx;
  }

  /** Whether to publish the Micrometer meters (only with {@link #jmx()}). */
  public boolean metrics() {
    return metrics;
  }

  /** Whether to emit a JFR event for every closed borrow. */
  public boolean holdEvents() {
    return holdEvents;
  }

  /** {@code sampled} or {@code every}, as the option's text. */
  public String holdTimes() {
    return holdTimes;
  }

  /**
   * Whether every borrow's hold is timed for the statistics ({@code holdTimes=every}, or
   * {@code holdEvents}, whose events need each hold), rather than about one in 16 per thread.
   */
  public boolean timesEveryHold() {
    return holdEvents || holdTimes.equals("every");
  }

  /** One line per invalid option, each naming the key, the value and what is allowed. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The same problems for a caller that refuses bad options instead of falling back (the attach
   * command, {@code PoolAgent.install}): what is wrong and what is allowed, without a prefix and
   * without "using the default".
   */
  public List<String> strictProblems() {
    return strictProblems;
  }

  @Override
  public String toString() {
    return "leakThreshold=" + DurationText.format(leakThreshold) + ", scanInterval="
        + DurationText.format(scanInterval()) + ", stackTrace=" + stackTrace + ", report="
        + (report == null ? "none" : report) + ", jmx=" + jmx + ", metrics=" + metrics
        + ", holdEvents=" + holdEvents + ", holdTimes=" + holdTimes;
  }

  /** The words {@code StackCapture.parse} accepts, normalised; checked here without loading it. */
  static String parseStackMode(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false") || t.equals("sampled")) {
      return t;
    }
    throw new IllegalArgumentException("expected true, false or sampled");
  }

  private static String parseHoldTimes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("sampled") || t.equals("every")) {
      return t;
    }
    throw new IllegalArgumentException("expected sampled or every");
  }

  private static Boolean parseBoolean(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return Boolean.valueOf(t);
    }
    throw new IllegalArgumentException("expected true or false");
  }

  private static Path parsePath(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("expected the path of a file to append to");
    }
    return Path.of(text.trim());
  }

  /** Looks a key up in the three sources, recording problems instead of throwing. */
  private static final class Reader {
    private final Map<String, String> args = new LinkedHashMap<>();
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();
    private final List<String> strictProblems = new ArrayList<>();

    Reader(@Nullable String agentArgs, Map<String, String> properties, Map<String, String> environment) {
      this.properties = properties;
      this.environment = environment;
      if (agentArgs == null || agentArgs.isBlank()) {
        return;
      }
      for (String pair : agentArgs.split(",", -1)) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        if (eq < 0) {
          problem("option '" + key + "' has no value; write " + key + "=value", "");
        } else if (Key.byName(key) == null) {
          problems.add("poolagent: unknown option '" + key + "' (ignored); known options: "
              + knownKeys());
          strictProblems.add("unknown option '" + key + "'; known options: " + knownKeys());
        } else {
          args.put(key, pair.substring(eq + 1).trim());
        }
      }
    }

    boolean flag(Key key, boolean fallback) {
      Boolean value = (Boolean) optional(key);
      return value == null ? fallback : value;
    }

    /** The parsed value, or null when the key is absent or invalid (a problem is recorded). */
    @Nullable Object optional(Key key) {
      String where = "agent argument " + key.key();
      String text = args.get(key.key());
      if (text == null) {
        where = "system property " + key.property();
        text = properties.get(key.property());
      }
      if (text == null) {
        where = "environment variable " + key.environment();
        text = environment.get(key.environment());
      }
      if (text == null) {
        return null;
      }
      try {
        return key.parse(text);
      } catch (IllegalArgumentException e) {
        problem("invalid " + where + "='" + text + "': " + e.getMessage(),
            "; using the default (" + key.defaultText() + ")");
        return null;
      }
    }

    private void problem(String what, String fallback) {
      problems.add("poolagent: " + what + fallback);
      strictProblems.add(what);
    }

    private static String knownKeys() {
      StringBuilder out = new StringBuilder();
      for (Key k : Key.values()) {
        out.append(out.length() == 0 ? "" : ", ").append(k.key());
      }
      return out.toString();
    }
  }
}
