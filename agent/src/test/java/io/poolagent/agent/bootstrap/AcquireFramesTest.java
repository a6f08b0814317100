package io.poolagent.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.leak.PaddingLayout;
import org.junit.jupiter.api.Test;

class AcquireFramesTest {
  private final AcquireFrames frames = new AcquireFrames.Padded(Thread.currentThread());

  @Test
  void itsFieldsArePaddedOnBothSides() throws Exception {
    PaddingLayout.assertPaddedOnBothSides(AcquireFrames.Padded.class);
  }

  @Test
  void aSingleCallIsTheOutermost() {
    frames.push();
    assertTrue(frames.popOutermost());
  }

  @Test
  void onlyTheOutermostOfNestedCallsRecords() {
    frames.push(); // a wrapping DataSource
    frames.push(); // the pool it delegates to
    assertFalse(frames.popOutermost(), "the inner call is part of the outer borrow");
    assertTrue(frames.popOutermost());
  }

  @Test
  void anExitWithoutEntryIsIgnoredAndLeavesTheCountUsable() {
    assertFalse(frames.popOutermost(), "entered before the agent was installed");
    frames.push();
    assertTrue(frames.popOutermost());
  }

  @Test
  void theOutermostCallKeepsTheAnnouncedSiteAndInnerCallsConsumeTheirs() {
    frames.announce(7);
    frames.push();
    frames.announce(9); // a pool's own marked call inside
    frames.push();
    assertFalse(frames.popOutermost());
    assertTrue(frames.popOutermost());
    assertEquals(7, frames.borrowSite());
    frames.push(); // an unmarked call: no stale site
    assertTrue(frames.popOutermost());
    assertEquals(0, frames.borrowSite());
  }
}
