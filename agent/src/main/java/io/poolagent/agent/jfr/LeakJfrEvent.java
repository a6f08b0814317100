package io.poolagent.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** {@value #NAME}: a connection held past the leak threshold (once per borrow). */
@Name(LeakJfrEvent.NAME)
@Label("Connection Leak")
@Category({"pool-agent", "JDBC"})
@Description("A JDBC connection has been held past the leak threshold")
@StackTrace(false)
class LeakJfrEvent extends BorrowJfrEvent {
  static final String NAME = "poolagent.Leak";

  @Label("Threshold")
  @Timespan(Timespan.MILLISECONDS)
  long threshold;
}
