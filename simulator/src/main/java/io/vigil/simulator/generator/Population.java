package io.vigil.simulator.generator;

import io.vigil.simulator.SimulatorConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Customer and terminal profiles of the handbook: positions on a 100×100 grid, each customer's
 * spending (mean amount ~ U(5, 100), std = mean / 2, transactions per day ~ U(0, 4)) and the
 * terminals strictly within {@code radius} of the customer. Held in primitive arrays: 5,000
 * customers with ~80 terminals each take about 2 MB.
 */
final class Population {

    final double[] customerX;
    final double[] customerY;
    final double[] meanAmount;
    final double[] stdAmount;
    final double[] meanTxPerDay;
    final double[] terminalX;
    final double[] terminalY;

    /** Terminal ids within reach of each customer, ascending. */
    final int[][] reachable;

    Population(SimulatorConfig config) {
        SplittableRandom customerRandom =
                new SplittableRandom(Seeds.of(config.seed(), Seeds.CUSTOMERS));
        int customers = config.customers();
        customerX = new double[customers];
        customerY = new double[customers];
        meanAmount = new double[customers];
        stdAmount = new double[customers];
        meanTxPerDay = new double[customers];
        for (int c = 0; c < customers; c++) {
            customerX[c] = customerRandom.nextDouble(0, 100);
            customerY[c] = customerRandom.nextDouble(0, 100);
            meanAmount[c] = customerRandom.nextDouble(5, 100);
            stdAmount[c] = meanAmount[c] / 2;
            meanTxPerDay[c] = customerRandom.nextDouble(0, 4);
        }

        SplittableRandom terminalRandom =
                new SplittableRandom(Seeds.of(config.seed(), Seeds.TERMINALS));
        terminalX = new double[config.terminals()];
        terminalY = new double[config.terminals()];
        for (int t = 0; t < terminalX.length; t++) {
            terminalX[t] = terminalRandom.nextDouble(0, 100);
            terminalY[t] = terminalRandom.nextDouble(0, 100);
        }
        reachable = reachableTerminals(config.radius());
    }

    int customers() {
        return meanAmount.length;
    }

    int terminals() {
        return terminalX.length;
    }

    // Terminals sorted by x; each customer scans only the slice |dx| < r instead of all terminals.
    private int[][] reachableTerminals(double radius) {
        Integer[] boxed = IntStream.range(0, terminals()).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> Double.compare(terminalX[a], terminalX[b]));
        int[] byX = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        double[] sortedX = Arrays.stream(byX).mapToDouble(t -> terminalX[t]).toArray();
        double r2 = radius * radius;
        int[][] result = new int[customerX.length][];
        int[] buffer = new int[terminals()];
        for (int c = 0; c < customerX.length; c++) {
            int from = lowerBound(sortedX, customerX[c] - radius);
            int n = 0;
            for (int i = from; i < byX.length && sortedX[i] < customerX[c] + radius; i++) {
                int t = byX[i];
                double dx = terminalX[t] - customerX[c];
                double dy = terminalY[t] - customerY[c];
                if (dx * dx + dy * dy < r2) {
                    buffer[n++] = t;
                }
            }
            int[] terminalsOfCustomer = Arrays.copyOf(buffer, n);
            Arrays.sort(terminalsOfCustomer);
            result[c] = terminalsOfCustomer;
        }
        return result;
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
