package io.poolagent.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@value #NAME}: a borrowed connection was garbage collected without close(). */
@Name(GcUnclosedJfrEvent.NAME)
@Label("Connection Collected Unclosed")
@Category({"pool-agent", "JDBC"})
@Description("A borrowed JDBC connection became unreachable without close(): a certain leak")
@StackTrace(false)
class GcUnclosedJfrEvent extends BorrowJfrEvent {
  static final String NAME = "poolagent.GcUnclosed";
}
