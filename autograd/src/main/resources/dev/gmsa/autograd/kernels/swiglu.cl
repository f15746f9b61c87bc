// SwiGlu's device kernels (autograd), compiled after the tensor module's prelude and common.cl.

// out = silu(gate) * up (the SwiGLU gate of a LLaMA MLP), in one pass.
KERNEL void swiglu_view(GLOBAL const uchar* gate, View gv, GLOBAL const uchar* up, View uv,
                        GLOBAL uchar* out, View ov, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real g = load_at(gate, &gv, i);
    store_at(out, &ov, i, (float) (g / ((real) 1 + exp(-g)) * load_at(up, &uv, i)));
}

// With s = sigmoid(gate): dUp = dOut * gate * s, dGate = dOut * up * s * (1 + gate * (1 - s)).
KERNEL void swiglu_backward_view(GLOBAL const uchar* gate, View gv, GLOBAL const uchar* up, View uv,
                                 GLOBAL const uchar* dOut, View dv, GLOBAL uchar* dGate, View dgv,
                                 GLOBAL uchar* dUp, View duv, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    real g = load_at(gate, &gv, i), s = (real) 1 / ((real) 1 + exp(-g)), dy = load_at(dOut, &dv, i);
    store_at(dUp, &duv, i, (float) (dy * g * s));
    store_at(dGate, &dgv, i, (float) (dy * load_at(up, &uv, i) * s * ((real) 1 + g * ((real) 1 - s))));
}
