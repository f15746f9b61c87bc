// copy, fill, unary, binary, where: one work-item per output element, inputs read through their views.

KERNEL void copy_view(GLOBAL const uchar* src, View sv, GLOBAL uchar* dst, View dv, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    if (sv.dtype == DT_I32 && dv.dtype == DT_I32) // exact: never through float
        ((GLOBAL int*) dst)[at(&dv, i)] = ((GLOBAL const int*) src)[at(&sv, i)];
    else
        store_at(dst, &dv, i, load_at(src, &sv, i));
}

KERNEL void fill_view(GLOBAL uchar* dst, View dv, float value, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(dst, &dv, i, value);
}

KERNEL void iota_view(GLOBAL uchar* dst, View dv, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(dst, &dv, i, (float) i);
}

// CounterHash.mix (lowbias32) and CounterHash.uniform, bit for bit.
DEVICE uint counter_mix(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

KERNEL void uniform_view(GLOBAL uchar* dst, View dv, int key, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(dst, &dv, i, (float) (counter_mix((uint) i ^ (uint) key) >> 8) * 5.9604644775390625e-8f); // 2^-24
}

// UnaryOp; the math follows UnaryOp.apply (double where the reference uses double).
DEVICE float unary_op(int op, float xf) {
    real x = xf;
    switch (op) {
        case UNARY_NEG: return -xf;
        case UNARY_EXP: return (float) exp(x);
        case UNARY_LOG: return (float) log(x);
        case UNARY_SQRT: return (float) sqrt(x);
        case UNARY_RSQRT: return (float) ((real) 1 / sqrt(x));
        case UNARY_TANH: return (float) tanh(x);
        case UNARY_SIGMOID: return (float) ((real) 1 / ((real) 1 + exp(-x)));
        case UNARY_SILU: return (float) (x / ((real) 1 + exp(-x)));
        case UNARY_GELU: { // tanh approximation
            real inner = (real) 0.7978845608028654 * (x + (real) 0.044715 * x * x * x);
            return (float) ((real) 0.5 * x * ((real) 1 + tanh(inner)));
        }
        case UNARY_RELU: return xf > 0 ? xf : 0.0f;
        case UNARY_ABS: return fabs(xf);
        case UNARY_SQUARE: return xf * xf;
        case UNARY_RECIPROCAL: return (float) ((real) 1 / x);
        case UNARY_SIN: return (float) sin(x);
        case UNARY_COS: return (float) cos(x);
        default: return NAN; // an op code no enum has
    }
}

KERNEL void unary_view(int op, GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(out, &ov, i, unary_op(op, load_at(x, &xv, i)));
}

// Java's Math.max(float, float): NaN wins, +0 beats -0.
DEVICE float java_max(float a, float b) {
    if (isnan(a)) return a;
    if (a == 0.0f && b == 0.0f && signbit(a)) return b;
    return a >= b ? a : b;
}

DEVICE float java_min(float a, float b) {
    if (isnan(a)) return a;
    if (a == 0.0f && b == 0.0f && signbit(b)) return b;
    return a <= b ? a : b;
}

// Math.pow differs from C's pow only where C returns 1 for a NaN or infinite exponent.
DEVICE float java_pow(float a, float b) {
    if (isnan(b) || (fabs(a) == 1.0f && isinf(b))) return NAN;
    return (float) pow((real) a, (real) b);
}

// BinaryOp.
DEVICE float binary_op(int op, float a, float b) {
    switch (op) {
        case BINARY_ADD: return a + b;
        case BINARY_SUB: return a - b;
        case BINARY_MUL: return a * b;
        case BINARY_DIV: return (float) ((real) a / (real) b); // correctly rounded either way
        case BINARY_MAX: return java_max(a, b);
        case BINARY_MIN: return java_min(a, b);
        case BINARY_POW: return java_pow(a, b);
        case BINARY_GT: return a > b ? 1.0f : 0.0f;
        case BINARY_EQ: return a == b ? 1.0f : 0.0f;
        default: return NAN; // an op code no enum has
    }
}

KERNEL void binary_view(int op, GLOBAL const uchar* a, View av, GLOBAL const uchar* b, View bv,
                        GLOBAL uchar* out, View ov, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(out, &ov, i, binary_op(op, load_at(a, &av, i), load_at(b, &bv, i)));
}

KERNEL void where_view(GLOBAL const uchar* mask, View mv, GLOBAL const uchar* a, View av,
                       GLOBAL const uchar* b, View bv, GLOBAL uchar* out, View ov, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    store_at(out, &ov, i, load_at(mask, &mv, i) != 0 ? load_at(a, &av, i) : load_at(b, &bv, i));
}
