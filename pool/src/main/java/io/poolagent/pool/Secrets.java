package io.poolagent.pool;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Keeps the password out of text: URLs, messages and exceptions the pool shows. */
final class Secrets {
  /** A {@code password=} parameter: group 1 up to the '=', group 2 the value. */
  private static final Pattern URL_PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;]password=)([^&;]*)");
  /**
   * A user-info password: from the first ':' after "//" to the last '@' of the URL, so that a
   * password with an unescaped '/', '?' or '@' is masked whole (at worst more than the password is).
   * Group 1 is up to the ':', group 2 the password.
   */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?#]*:)(.*)@");
  private static final String MASK = "****";

  /** Every secret text: the password setting, and passwords written into the JDBC URL. */
  private final List<String> secrets = new ArrayList<>();

  /**
   * @param password the password setting, if any
   * @param jdbcUrl the JDBC URL, whose {@code password=} parameters and user-info password are
   *     secrets too: drivers often quote the URL in their errors
   */
  Secrets(@Nullable String password, @Nullable String jdbcUrl) {
    add(password);
    if (jdbcUrl != null) {
      Matcher param = URL_PASSWORD_PARAM.matcher(jdbcUrl);
      while (param.find()) {
        addFromUrl(param.group(2));
      }
      Matcher info = USER_INFO.matcher(jdbcUrl);
      if (info.find()) {
        addFromUrl(info.group(2));
      }
    }
  }

  /** Adds a secret read from a URL, as written and percent-decoded (a driver may show either). */
  private void addFromUrl(String raw) {
    add(raw);
    try {
      add(UrlAuthority.decode(raw));
    } catch (IllegalArgumentException notEncoded) {
      // a '%' without two hex digits: the text as written is the secret
    }
  }

  private void add(@Nullable String secret) {
    if (secret != null && !secret.isEmpty() && !secrets.contains(secret)) {
      secrets.add(secret);
    }
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
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }

  /**
   * {@code t} itself when no message in its cause chain shows the password; else a copy of the chain
   * with redacted messages, the same SQL states and stack traces.
   */
  @Nullable Throwable scrub(@Nullable Throwable t) {
    if (t == null || secrets.isEmpty() || !chainShowsPassword(t)) {
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

  private boolean shows(@Nullable String text) {
    if (text != null) {
      for (String secret : secrets) {
        if (text.contains(secret)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean chainShowsPassword(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      if (shows(c.getMessage())) {
        return true;
      }
      if (c instanceof SQLException sql && sql.getNextException() != null
          && shows(sql.getNextException().getMessage())) {
        return true;
      }
    }
    return false;
  }
}
