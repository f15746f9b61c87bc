// CrossEntropy's device kernels (autograd), compiled after the tensor module's prelude and common.cl: one row
// per work-group of ROW_WG items (common.cl).

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
