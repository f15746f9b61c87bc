// Kernels over the last axis, one row per work-group of ROW_WG items: softmax, logSoftmax,
// cross-entropy and its backward. Plus rope (one work-item per rotated pair).

KERNEL void softmax_rows(GLOBAL const uchar* x, View xv, GLOBAL uchar* out, View ov, int n, int logarithm) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    real max = -INFINITY;
    for (int i = lid; i < n; i += ROW_WG) max = max_nan(max, load_at(x, &xv, row * n + i));
    max = group_max(max, scratch);
    real sum = 0;
    for (int i = lid; i < n; i += ROW_WG) sum += exp(load_at(x, &xv, row * n + i) - max);
    sum = group_sum(sum, scratch);
    real logSum = log(sum);
    for (int i = lid; i < n; i += ROW_WG) {
        real z = load_at(x, &xv, row * n + i) - max;
        store_at(out, &ov, row * n + i, (float) (logarithm ? z - logSum : exp(z) / sum));
    }
}

// The row's max and sum of exp(x - max), shared by the cross-entropy kernels.
typedef struct {
    real max, sum;
} RowStats;

DEVICE RowStats row_max_and_sum(GLOBAL const uchar* x, const View* xv, int row, int n, LOCAL_PTR real* scratch) {
    int lid = get_local_id(0);
    real max = -INFINITY;
    for (int i = lid; i < n; i += ROW_WG) max = max_nan(max, load_at(x, xv, row * n + i));
    max = group_max(max, scratch);
    real sum = 0;
    for (int i = lid; i < n; i += ROW_WG) sum += exp(load_at(x, xv, row * n + i) - max);
    RowStats stats = {max, group_sum(sum, scratch)};
    return stats;
}

// out[row] = log(sum exp(logits)) - logits[target], 0 for ignored rows.
KERNEL void cross_entropy_rows(GLOBAL const uchar* logits, View lv, GLOBAL const uchar* targets, View tv,
                               int ignoreIndex, GLOBAL uchar* out, View ov, int n) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    int target = load_int(targets, &tv, row);
    if (target == ignoreIndex) { // uniform over the work-group: no barrier is skipped by only some items
        if (lid == 0) store_at(out, &ov, row, 0.0f);
        return;
    }
    RowStats ms = row_max_and_sum(logits, &lv, row, n, scratch);
    if (lid == 0) store_at(out, &ov, row, (float) (log(ms.sum) + ms.max - load_at(logits, &lv, row * n + target)));
}

// out = scale * (softmax(logits) - onehot(target)), zero rows for ignored targets.
KERNEL void cross_entropy_backward_rows(GLOBAL const uchar* logits, View lv, GLOBAL const uchar* targets, View tv,
                                        int ignoreIndex, GLOBAL const uchar* scaleBuf, View sv,
                                        GLOBAL uchar* out, View ov, int n) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    float scale = load_at(scaleBuf, &sv, 0); // a device scalar: the mean's 1 / count times dy, never read on the host
    int target = load_int(targets, &tv, row);
    if (target == ignoreIndex) {
        for (int i = lid; i < n; i += ROW_WG) store_at(out, &ov, row * n + i, 0.0f);
        return;
    }
    RowStats ms = row_max_and_sum(logits, &lv, row, n, scratch);
    for (int i = lid; i < n; i += ROW_WG) {
        real p = exp(load_at(logits, &lv, row * n + i) - ms.max) / ms.sum;
        store_at(out, &ov, row * n + i, (float) ((real) scale * (p - (i == target ? 1 : 0))));
    }
}

// Rotates pair i of row r (position r % t) by the angle whose cos and sin are tabled at [pos, i].
// HALF_SPLIT (layout 0) pairs i with i + d/2, INTERLEAVED pairs 2i with 2i+1.
KERNEL void rope_pairs(GLOBAL const uchar* x, View xv, GLOBAL const uchar* cosTable, View cv,
                       GLOBAL const uchar* sinTable, View sv, int layout, int inverse,
                       GLOBAL uchar* out, View ov, int rows, int t, int d) {
    int gid = get_global_id(0), pairs = d / 2; // (`half` is a type name in OpenCL C)
    if (gid >= rows * pairs) return;
    int r = gid / pairs, i = gid % pairs, pos = r % t;
    int i0 = layout == 0 ? i : 2 * i, i1 = layout == 0 ? i + pairs : 2 * i + 1;
    real c = load_at(cosTable, &cv, pos * pairs + i), s = load_at(sinTable, &sv, pos * pairs + i);
    if (inverse) s = -s;
    real x0 = load_at(x, &xv, r * d + i0), x1 = load_at(x, &xv, r * d + i1);
    store_at(out, &ov, r * d + i0, (float) (x0 * c - x1 * s));
    store_at(out, &ov, r * d + i1, (float) (x1 * c + x0 * s));
}
