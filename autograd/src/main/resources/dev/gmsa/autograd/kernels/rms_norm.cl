// RmsNorm's device kernels (autograd), compiled after the tensor module's prelude and common.cl: one row per
// work-group of ROW_WG items (common.cl), except the weight gradient (one work-item per column).

// out = x / sqrt(mean(x^2) + eps) * weight
KERNEL void rms_norm_rows(GLOBAL const uchar* x, View xv, GLOBAL const uchar* w, View wv, float eps,
                          GLOBAL uchar* out, View ov, int n) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    real ss = 0;
    for (int i = lid; i < n; i += ROW_WG) {
        real v = load_at(x, &xv, row * n + i);
        ss += v * v;
    }
    ss = group_sum(ss, scratch);
    real scale = (real) 1 / sqrt(ss / n + (real) eps);
    for (int i = lid; i < n; i += ROW_WG)
        store_at(out, &ov, row * n + i, (float) (load_at(x, &xv, row * n + i) * scale * load_at(w, &wv, i)));
}

// Backward of rms_norm_rows for one row: with r = 1 / sqrt(mean(x^2) + eps), xhat = x r and g = dOut * weight,
// dx = r (g - xhat mean(g xhat)); r is kept per row for rms_norm_weight_grad.
KERNEL void rms_norm_backward_rows(GLOBAL const uchar* x, View xv, GLOBAL const uchar* w, View wv, float eps,
                                   GLOBAL const uchar* dOut, View dv, GLOBAL uchar* dx, View dxv,
                                   GLOBAL uchar* inverseRms, View rv, int n) {
    LOCAL real scratch[ROW_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    real ss = 0, gx = 0;
    for (int i = lid; i < n; i += ROW_WG) {
        real v = load_at(x, &xv, row * n + i);
        ss += v * v;
        gx += load_at(dOut, &dv, row * n + i) * load_at(w, &wv, i) * v;
    }
    ss = group_sum(ss, scratch);
    gx = group_sum(gx, scratch);
    real r = (real) 1 / sqrt(ss / n + (real) eps);
    real meanGXhat = gx * r / n;
    for (int i = lid; i < n; i += ROW_WG) {
        real g = load_at(dOut, &dv, row * n + i) * load_at(w, &wv, i);
        real xhat = load_at(x, &xv, row * n + i) * r;
        store_at(dx, &dxv, row * n + i, (float) (r * (g - xhat * meanGXhat)));
    }
    if (lid == 0) store_at(inverseRms, &rv, row, (float) r);
}

// dWeight[i] = sum over rows of dOut * x * r, one work-item per column (rows read in order: deterministic).
KERNEL void rms_norm_weight_grad(GLOBAL const uchar* x, View xv, GLOBAL const uchar* dOut, View dv,
                                 GLOBAL const uchar* inverseRms, View rv, GLOBAL uchar* dw, View dwv, int rows, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real acc = 0;
    for (int row = 0; row < rows; row++)
        acc += (real) load_at(dOut, &dv, row * n + i) * load_at(x, &xv, row * n + i) * load_at(inverseRms, &rv, row);
    store_at(dw, &dwv, i, (float) acc);
}
