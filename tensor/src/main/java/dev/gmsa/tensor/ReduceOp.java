package dev.gmsa.tensor;

/** Reductions over one axis. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
