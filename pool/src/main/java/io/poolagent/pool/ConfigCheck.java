package io.poolagent.pool;

import io.poolagent.config.DurationText;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks a builder's values, adding one line per problem; resolves DATABASE_URL. */
final class ConfigCheck {
  private static final Pattern JDBC = Pattern.compile("jdbc:[A-Za-z0-9]+:.+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_POOL_SIZE = 10_000;

  private final PoolConfigBuilder b;
  private final List<String> problems;

  ConfigCheck(PoolConfigBuilder b, List<String> problems) {
    this.b = b;
    this.problems = problems;
  }

  void run() {
    url();
    name();
    sizes();
    positive(Setting.ACQUIRE_TIMEOUT, b.acquireTimeout);
    positive(Setting.CONNECT_TIMEOUT, b.connectTimeout);
    positive(Setting.VALIDATION_TIMEOUT, b.validationTimeout);
    positive(Setting.RETRY_INITIAL_BACKOFF, b.retryInitialBackoff);
    positive(Setting.RETRY_MAX_BACKOFF, b.retryMaxBackoff);
    zeroOrPositive(Setting.STATEMENT_TIMEOUT, b.statementTimeout);
    zeroOrPositive(Setting.MAX_CONNECTION_LIFETIME, b.maxConnectionLifetime);
    zeroOrPositive(Setting.MAX_IDLE_TIME, b.maxIdleTime);
    zeroOrPositive(Setting.LEAK_DETECTION_TIMEOUT, b.leakDetectionTimeout);
    zeroOrPositive(Setting.SHUTDOWN_TIMEOUT, b.shutdownTimeout);
    if (isPositive(b.retryInitialBackoff) && isPositive(b.retryMaxBackoff)
        && b.retryMaxBackoff.compareTo(b.retryInitialBackoff) < 0) {
      problems.add(shown(Setting.RETRY_MAX_BACKOFF, b.retryMaxBackoff) + " is smaller than "
          + shown(Setting.RETRY_INITIAL_BACKOFF, b.retryInitialBackoff)
          + "; the maximum backoff must be >= the initial backoff");
    }
    if (b.retryAttempts < 1 || b.retryAttempts > 100) {
      problems.add(b.key(Setting.RETRY_ATTEMPTS) + "=" + b.retryAttempts
          + " is out of range; attempts must be between 1 (no retry) and 100");
    }
    if (b.maxQueries < 0) {
      problems.add(b.key(Setting.MAX_QUERIES) + "=" + b.maxQueries
          + " is negative; must be 0 (no limit) or positive");
    }
  }

  private void url() {
    if (b.databaseUrl != null && !b.databaseUrl.isEmpty()) {
      resolveDatabaseUrl(b.databaseUrl);
    }
    if (b.jdbcUrl == null || b.jdbcUrl.isEmpty()) {
      problems.add(b.key(Setting.JDBC_URL) + " is required (or " + b.key(Setting.DATABASE_URL)
          + "): a JDBC URL such as jdbc:postgresql://localhost:5432/db");
      return;
    }
    String shown = b.key(Setting.JDBC_URL) + "=" + Secrets.maskUrl(b.jdbcUrl);
    if (!JDBC.matcher(b.jdbcUrl).matches() || b.jdbcUrl.chars().anyMatch(Character::isWhitespace)) {
      problems.add(shown + " is not a JDBC URL; expected jdbc:<driver>:<address>, for example"
          + " jdbc:postgresql://localhost:5432/db");
      return;
    }
    if (b.jdbcUrl.startsWith("jdbc:postgresql://")) {
      String problem = hostPortProblem(b.jdbcUrl.substring("jdbc:".length()));
      if (problem != null) {
        problems.add(shown + " is malformed: " + problem
            + "; expected jdbc:postgresql://host[:port]/database");
      }
    }
  }

  private void resolveDatabaseUrl(String text) {
    String shown = b.key(Setting.DATABASE_URL) + "=" + Secrets.maskUrl(text);
    String expected = "; expected postgresql://user:password@host:port/database, with '/', '?', '@'"
        + " and '#' in the user or password percent-encoded (%2F, %3F, %40, %23)";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      problems.add(shown + " is malformed" + expected);
      return;
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
      problems.add(shown + " has scheme " + scheme + ", not postgresql" + expected);
      return;
    }
    UrlAuthority authority;
    try {
      authority = UrlAuthority.parse(uri.getRawAuthority());
    } catch (UrlAuthority.Problem problem) {
      problems.add(shown + " is malformed: " + problem.getMessage() + expected);
      return;
    }
    String path = uri.getRawPath();
    if (path == null || path.length() < 2) {
      problems.add(shown + " is malformed: no database name" + expected);
      return;
    }
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    if (b.jdbcUrl == null || b.jdbcUrl.isEmpty()) {
      b.jdbcUrl = "jdbc:postgresql://" + authority.hosts() + path + query;
    }
    String info = authority.rawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      try {
        String u = UrlAuthority.decode(colon < 0 ? info : info.substring(0, colon));
        String p = colon < 0 ? null : UrlAuthority.decode(info.substring(colon + 1));
        if (b.user == null || b.user.isEmpty()) {
          b.user = u;
        }
        if (p != null && (b.password == null || b.password.isEmpty())) {
          b.password = p;
        }
      } catch (IllegalArgumentException e) { // its message quotes the text: not shown
        problems.add(shown + " is malformed: the user or password has a '%' that is not followed"
            + " by two hex digits" + expected);
      }
    }
  }

  /** Null when {@code url} (scheme://...) has a usable host and port, else what is wrong. */
  private static @Nullable String hostPortProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a valid URI (" + e.getReason() + ")";
    }
    try {
      UrlAuthority.parse(uri.getRawAuthority());
      return null;
    } catch (UrlAuthority.Problem problem) {
      return problem.getMessage();
    }
  }

  private void name() {
    if (b.poolName != null && !b.poolName.isEmpty() && !NAME.matcher(b.poolName).matches()) {
      problems.add(b.key(Setting.NAME) + "=" + b.poolName
          + " is not a valid name; use 1 to 64 letters, digits, '.', '_' or '-'");
    }
  }

  private void sizes() {
    String min = b.key(Setting.MIN_SIZE) + "=" + b.minSize;
    String max = b.key(Setting.MAX_SIZE) + "=" + b.maxSize;
    if (b.minSize < 0) {
      problems.add(min + " is negative; min must be >= 0");
    }
    if (b.maxSize < 1 || b.maxSize > MAX_POOL_SIZE) {
      problems.add(max + " is out of range; max must be between 1 and " + MAX_POOL_SIZE);
    }
    if (b.minSize > b.maxSize && b.maxSize >= 1) {
      problems.add(min + " is larger than " + max + "; min must be <= max");
    }
  }

  private void positive(Setting s, Duration d) {
    if (d == null) {
      problems.add(b.key(s) + " is required; must be a positive duration such as 250ms, 30s, 5m");
    } else if (!isPositive(d)) {
      problems.add(shown(s, d) + " must be positive (at least 1ms), such as 250ms, 30s, 5m");
    }
  }

  private void zeroOrPositive(Setting s, Duration d) {
    if (d == null) {
      problems.add(b.key(s) + " is required; must be 0 (off) or a positive duration");
    } else if (d.isNegative()) {
      problems.add(shown(s, d) + " is negative; must be 0 (off) or a positive duration");
    }
  }

  private static boolean isPositive(Duration d) {
    return d != null && d.toMillis() >= 1;
  }

  private String shown(Setting s, Duration d) {
    return b.shown(s, d.isNegative() ? "-" + DurationText.format(d.negated()) : DurationText.format(d));
  }
}
