package io.poolagent.pool;

import java.sql.SQLException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Keeps the password out of text: URLs, messages and exceptions the pool shows. */
final class Secrets {
  private static final Pattern URL_PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;]password=)[^&;]*");
  /**
   * A user-info password: from the first ':' after "//" to the last '@' of the URL, so that a
   * password with an unescaped '/', '?' or '@' is masked whole (at worst more than the password is).
   */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?#]*:).*@");
  private static final String MASK = "****";

  private final String password;

  Secrets(@Nullable String password) {
    this.password = password == null ? "" : password;
  }

  /** A URL with any password parameter or user-info password replaced by a mask. */
  static String maskUrl(String url) {
    if (url == null) {
      return "null";
    }
    String masked = URL_PASSWORD_PARAM.matcher(url).replaceAll("$1" + MASK);
    return USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
  }

  /** {@code text} with every occurrence of the password masked. */
  @Nullable String redact(@Nullable String text) {
    if (text == null || password.isEmpty()) {
      return text;
    }
    return text.replace(password, MASK);
  }

  /**
   * {@code t} itself when no message in its cause chain shows the password; else a copy of the chain
   * with redacted messages, the same SQL states and stack traces.
   */
  @Nullable Throwable scrub(@Nullable Throwable t) {
    if (t == null || password.isEmpty() || !chainShowsPassword(t)) {
      return t;
    }
    Throwable cause = scrub(t.getCause() == t ? null : t.getCause());
    Throwable copy;
    if (t instanceof SQLException sql) {
      copy = new SQLException(redact(t.getMessage()), sql.getSQLState(), sql.getErrorCode(), cause);
    } else {
      copy = new RuntimeException(t.getClass().getName() + ": " + redact(t.getMessage()), cause);
    }
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  private boolean chainShowsPassword(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      String m = c.getMessage();
      if (m != null && m.contains(password)) {
        return true;
      }
      if (c instanceof SQLException && ((SQLException) c).getNextException() != null) {
        String n = ((SQLException) c).getNextException().getMessage();
        if (n != null && n.contains(password)) {
          return true;
        }
      }
    }
    return false;
  }
}
