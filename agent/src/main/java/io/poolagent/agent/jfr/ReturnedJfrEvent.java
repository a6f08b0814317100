package io.poolagent.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** {@value #NAME}: a connection flagged as a leak has been closed. */
@Name(ReturnedJfrEvent.NAME)
@Label("Connection Returned After Leak")
@Category({"pool-agent", "JDBC"})
@Description("A JDBC connection flagged as a leak was closed")
@StackTrace(false)
class ReturnedJfrEvent extends BorrowJfrEvent {
  static final String NAME = "poolagent.Returned";
}
