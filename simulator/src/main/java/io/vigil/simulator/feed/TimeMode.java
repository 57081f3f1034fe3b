package io.vigil.simulator.feed;

/** Which clock a feed's event times follow. */
public enum TimeMode {
    /**
     * Event times come from the generator or file (e.g. 2018); the feed runs as fast as its rate
     * allows, and a label is sent once the stream's event time passes its transaction's time plus
     * the label delay.
     */
    SIMULATED,
    /**
     * Each transaction's event time is overwritten with the wall-clock time it is sent at, so the
     * stream looks live; a label is sent when the wall clock passes that time plus the label delay.
     */
    WALL_CLOCK
}
