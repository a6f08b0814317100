package io.poolagent.agent.jmx;

import javax.management.ObjectName;

/** Property values for ObjectNames made from DataSource names, which may hold any character. */
public final class ObjectNameValues {
  private ObjectNameValues() {}

  /** {@code text} as is when it is a valid unquoted ObjectName value, else quoted. */
  public static String of(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
        return ObjectName.quote(text);
      }
    }
    return text.isEmpty() ? ObjectName.quote(text) : text;
  }
}
