package io.poolagent.pool;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The user info, host and port of a URL's authority ({@code user:password@host:port}), read by hand
 * from {@link java.net.URI#getRawAuthority()}: {@code URI} itself refuses host names with an
 * underscore (common for container service names such as {@code my_db}), which the PostgreSQL driver
 * accepts.
 *
 * @param rawUserInfo the text before the last '@', still percent-encoded, or null
 * @param hosts {@code host[:port]}, or the driver's failover list {@code host1[:port1],host2...}
 *     as written (not checked here: the driver reads it)
 */
record UrlAuthority(@Nullable String rawUserInfo, String hosts) {
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._~%-]+");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._~-]+)?]");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

  /**
   * Thrown with what is wrong with an authority, in words for a configuration message; it never
   * quotes the text (a password with an unescaped '/' ends the authority early and would show).
   */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * Percent-decodes user info, where '+' is a plus sign (URLDecoder would make it a space).
   *
   * @throws IllegalArgumentException for a '%' not followed by two hex digits; its message quotes
   *     the text, so it must not be shown
   */
  static String decode(String userInfo) {
    return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Reads {@code rawAuthority}, checking its host and port unless it lists several hosts. */
  static UrlAuthority parse(@Nullable String rawAuthority) throws Problem {
    if (rawAuthority == null || rawAuthority.isEmpty()) {
      throw new Problem("no host");
    }
    int at = rawAuthority.lastIndexOf('@');
    String userInfo = at < 0 ? null : rawAuthority.substring(0, at);
    String hostPort = rawAuthority.substring(at + 1);
    if (!hostPort.contains(",")) {
      check(hostPort);
    }
    return new UrlAuthority(userInfo, hostPort);
  }

  private static void check(String hostPort) throws Problem {
    int close = hostPort.startsWith("[") ? hostPort.indexOf(']') : -1;
    int colon = hostPort.indexOf(':', Math.max(close, 0));
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    if (host.isEmpty()) {
      throw new Problem("no host");
    }
    if (!(HOST_NAME.matcher(host).matches() || IPV6.matcher(host).matches())) {
      throw new Problem("the host is not a host name or an IP address");
    }
    if (colon >= 0) {
      String digits = hostPort.substring(colon + 1);
      int port = DIGITS.matcher(digits).matches() ? Integer.parseInt(digits) : 0;
      if (port < 1 || port > 65535) {
        throw new Problem("the port is not a number between 1 and 65535");
      }
    }
  }
}
