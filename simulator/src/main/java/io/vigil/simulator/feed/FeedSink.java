package io.vigil.simulator.feed;

import io.vigil.schemas.Label;
import io.vigil.schemas.Transaction;

/** Where a {@link TransactionFeed} delivers transactions and labels, in the order it decides. */
public interface FeedSink {

    void sendTransaction(Transaction tx);

    void sendLabel(Label label);

    /** Blocks until everything sent so far is delivered, or throws if any of it failed. */
    void flush();
}
