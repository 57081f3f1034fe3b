package io.vigil.simulator.generator;

/**
 * Derives independent random streams from the run's seed, one per purpose (and per day), so that
 * e.g. switching fraud scenarios off leaves the transactions themselves unchanged.
 */
final class Seeds {

    static final long CUSTOMERS = 1;
    static final long TERMINALS = 2;
    static final long TRANSACTIONS = 3;
    static final long COMPROMISES = 4;
    static final long FRAUD_SELECTION = 5;
    static final long NIGHT_FRAUD_TERMINALS = 6;
    static final long POPULAR_TERMINALS = 7;

    private Seeds() {}

    static long of(long seed, long stream) {
        return of(seed, stream, 0);
    }

    static long of(long seed, long stream, long index) {
        return mix(mix(mix(seed) ^ stream) ^ index);
    }

    /** A uniform double in [0, 1) that depends only on its arguments. */
    static double uniform(long seed, long stream, long index) {
        return (of(seed, stream, index) >>> 11) * 0x1.0p-53;
    }

    // SplitMix64's finaliser: nearby inputs give unrelated outputs.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
