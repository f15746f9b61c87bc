// AdamWStep's device kernel (autograd), compiled after the tensor module's prelude and common.cl.
// One AdamW step on element i (decoupled weight decay; c1, c2 are the bias corrections).
KERNEL void adamw_step(GLOBAL uchar* param, View pv, GLOBAL const uchar* grad, View gv,
                       GLOBAL uchar* m, View mv, GLOBAL uchar* v, View vv,
                       float lr, float beta1, float beta2, float eps, float weightDecay, float c1, float c2, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real g = load_at(grad, &gv, i), p = load_at(param, &pv, i);
    real mi = (real) beta1 * load_at(m, &mv, i) + ((real) 1 - (real) beta1) * g;
    real vi = (real) beta2 * load_at(v, &vv, i) + ((real) 1 - (real) beta2) * g * g;
    store_at(m, &mv, i, (float) mi);
    store_at(v, &vv, i, (float) vi);
    store_at(param, &pv, i, (float) (p - (real) lr * (mi / (real) c1 / (sqrt(vi / (real) c2) + (real) eps) + (real) weightDecay * p)));
}
