package io.poolagent.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@value #NAME}: one borrow, emitted on the closing thread when it is closed; only with the agent
 * option {@code holdEvents=true}.
 */
@Name(ConnectionHeldJfrEvent.NAME)
@Label("Connection Held")
@Category({"pool-agent", "JDBC"})
@Description("A JDBC connection was borrowed and closed; the field held is how long")
@StackTrace(false)
class ConnectionHeldJfrEvent extends Event {
  static final String NAME = "poolagent.ConnectionHeld";

  @Label("DataSource")
  String dataSource = "";

  @Label("Held")
  @Timespan(Timespan.NANOSECONDS)
  long held;
}
