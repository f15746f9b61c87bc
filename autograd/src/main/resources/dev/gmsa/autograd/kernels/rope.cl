// Rope's device kernel (autograd), compiled after the tensor module's prelude and common.cl: one work-item per
// rotated pair.

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
