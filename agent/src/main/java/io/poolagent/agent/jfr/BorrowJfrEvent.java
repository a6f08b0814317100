package io.poolagent.agent.jfr;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Timespan;

/**
 * The fields every poolagent JFR event carries about one borrow. The event thread of the leak events
 * is the agent's sweeper; the borrowing thread is in {@link #acquiringThread}.
 */
abstract class BorrowJfrEvent extends Event {
  @Label("Connection Id")
  @Description("<pid>-<n>, as in the reports and JMX")
  String connectionId = "";

  @Label("DataSource")
  @Description("the pool name where the pool has one, else class name and identity")
  String dataSource = "";

  @Label("Acquiring Thread")
  String acquiringThread = "";

  @Label("Acquiring Thread Id")
  long acquiringThreadId;

  @Label("Held")
  @Description("how long the connection had been held (millisecond precision)")
  @Timespan(Timespan.MILLISECONDS)
  long held;

  @Label("Acquisition Site")
  @Description("the first frame of the acquisition stack")
  String site = "";

  @Label("Acquisition Stack")
  @Description("frames, one a line, first = the caller of getConnection")
  String stack = "";
}
