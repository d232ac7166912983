package io.livestage.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Weighted choice of the next {@link Operation}, parsed from a spec like {@code create=20,get=60,list=20}.
 * Weights are relative (they need not add up to 100); {@code get} is split evenly between get-id and get-slug.
 */
public final class OperationMix {
    /** 20 % create, 60 % get (half by id, half by slug), 20 % list. */
    public static final String DEFAULT_SPEC = "create=20,get=60,list=20";

    private final Operation[] operations;
    private final double[] cumulative;
    private final Map<Operation, Double> shares;

    private OperationMix(Map<Operation, Double> weights) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0)) {
            throw new IllegalArgumentException("The mix needs at least one operation with a positive weight");
        }
        operations = weights.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .toArray(Operation[]::new);
        cumulative = new double[operations.length];
        shares = new EnumMap<>(Operation.class);
        double running = 0;
        for (int i = 0; i < operations.length; i++) {
            double share = weights.get(operations[i]) / total;
            shares.put(operations[i], share);
            running += share;
            cumulative[i] = running;
        }
        cumulative[cumulative.length - 1] = 1.0;
    }

    public static OperationMix parse(String spec) {
        Map<Operation, Double> weights = new EnumMap<>(Operation.class);
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] pair = part.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("Expected name=weight in the mix, got '" + part.trim() + "'");
            }
            double weight;
            try {
                weight = Double.parseDouble(pair[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Weight of '" + pair[0].trim() + "' is not a number: " + pair[1]);
            }
            if (weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("Weight of '" + pair[0].trim() + "' must be >= 0, was " + weight);
            }
            if (pair[0].trim().equalsIgnoreCase("get")) {
                weights.merge(Operation.GET_ID, weight / 2, Double::sum);
                weights.merge(Operation.GET_SLUG, weight / 2, Double::sum);
            } else {
                weights.merge(Operation.fromLabel(pair[0]), weight, Double::sum);
            }
        }
        return new OperationMix(weights);
    }

    /** Picks the next operation; {@code random} belongs to the calling thread. */
    public Operation pick(RandomGenerator random) {
        double x = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return operations[i];
            }
        }
        return operations[operations.length - 1];
    }

    /** Fraction of requests of {@code op}, 0 when it is not in the mix. */
    public double share(Operation op) {
        return shares.getOrDefault(op, 0.0);
    }

    /** Operations with a positive weight, in declaration order. */
    public Operation[] operations() {
        return Arrays.stream(Operation.values()).filter(shares::containsKey).toArray(Operation[]::new);
    }

    /** Canonical form, e.g. {@code create=20%, get-id=30%, get-slug=30%, list=20%}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Operation op : operations()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(op.label()).append('=').append(Report.trim(share(op) * 100)).append('%');
        }
        return text.toString();
    }
}
