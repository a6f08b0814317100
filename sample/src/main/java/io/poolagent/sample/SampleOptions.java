package io.poolagent.sample;

import io.poolagent.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sample's command line: {@code --jdbc-url}, {@code --user}, {@code --password} (or
 * POOL_JDBC_URL / POOL_USER / POOL_PASSWORD), {@code --run-for 8s}, {@code --forever},
 * {@code --hold 4s} (how long the slow report holds its connection).
 */
record SampleOptions(String jdbcUrl, String user, String password, Duration runFor,
    boolean forever, Duration hold) {
  static final String H2_URL = "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1";
  static final String USAGE = "usage: java -javaagent:pool-agent.jar=leakThreshold=2s -jar "
      + "pool-agent-sample.jar [--jdbc-url URL --user U --password P] [--run-for 8s | --forever]"
      + " [--hold 4s]";

  static SampleOptions parse(String[] args, Map<String, String> env) {
    String url = env.getOrDefault("POOL_JDBC_URL", H2_URL);
    String user = env.getOrDefault("POOL_USER", "sa");
    String password = env.getOrDefault("POOL_PASSWORD", "");
    Duration runFor = Duration.ofSeconds(8);
    Duration hold = Duration.ofSeconds(4);
    boolean forever = false;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--forever")) {
        forever = true;
        continue;
      }
      if (i + 1 >= args.length) {
        problems.add(arg + " needs a value");
        break;
      }
      String value = args[++i];
      switch (arg) {
        case "--jdbc-url" -> url = value;
        case "--user" -> user = value;
        case "--password" -> password = value;
        case "--run-for" -> runFor = duration(arg, value, problems);
        case "--hold" -> hold = duration(arg, value, problems);
        default -> problems.add("unknown option " + arg);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems) + System.lineSeparator() + USAGE);
    }
    return new SampleOptions(url, user, password, runFor, forever, hold);
  }

  private static Duration duration(String key, String value, List<String> problems) {
    try {
      return DurationText.parse(value, false);
    } catch (IllegalArgumentException e) {
      problems.add(key + " " + value + ": " + e.getMessage());
      return Duration.ofSeconds(1);
    }
  }

  @Override
  public String toString() {
    return "SampleOptions[" + jdbcUrl + " as " + user + ", runFor=" + DurationText.format(runFor)
        + (forever ? " (forever)" : "") + "]";
  }
}
