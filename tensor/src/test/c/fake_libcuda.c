// A stand-in for libcuda.so.1 with host memory, so the CUDA backend's foreign-function calls (argument types,
// pointer arguments, kernelParams, context handling, JIT log options) are exercised on a machine without a GPU.
// It "runs" only fill_view and copy_view on F32 views, on the CPU; other kernels fail with CUDA_ERROR_NOT_SUPPORTED.
// Environment: FAKE_CUDA_PTX_ISA=8.4 makes it reject PTX declaring a newer .version (an older driver).
// Build: cc -shared -fPIC -o libcuda.so.1 fake_libcuda.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
enum { OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, INVALID_CONTEXT = 201, INVALID_PTX = 218,
       UNSUPPORTED_PTX_VERSION = 222, NOT_FOUND = 500, NOT_SUPPORTED = 801 };

typedef struct { int rank, offset, contiguous, dtype, shape[8], stride[8]; } View; // as common.cl
typedef struct { char* ptx; } Module;
typedef struct { char name[128]; } Function;

static int primary_context;                 // its address is the one context
static __thread void* current;              // contexts are current per thread, as in the real driver
static int rejected_modules, launches;

int fake_rejected_modules(void) { return rejected_modules; }
int fake_launches(void) { return launches; }

CUresult cuInit(unsigned int flags) { return flags == 0 ? OK : INVALID_VALUE; }
CUresult cuDriverGetVersion(int* v) { *v = getenv("FAKE_CUDA_PTX_ISA") ? 12040 : 13000; return OK; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return OK; }
CUresult cuDeviceGet(int* d, int ordinal) { if (ordinal != 0) return INVALID_VALUE; *d = 0; return OK; }
CUresult cuDeviceGetName(char* name, int len, int d) { snprintf(name, len, "Fake GPU"); return d == 0 ? OK : INVALID_VALUE; }
CUresult cuDeviceTotalMem_v2(size_t* bytes, int d) { *bytes = (size_t) 80 << 30; return d == 0 ? OK : INVALID_VALUE; }
CUresult cuDeviceGetAttribute(int* v, int attribute, int d) {
    if (d != 0) return INVALID_VALUE;
    switch (attribute) {
        case 16: *v = 132; return OK; // multiprocessors
        case 75: *v = 9; return OK;   // compute capability major
        case 76: *v = 0; return OK;   // minor
        default: return INVALID_VALUE;
    }
}
CUresult cuDevicePrimaryCtxRetain(void** ctx, int d) { *ctx = &primary_context; return d == 0 ? OK : INVALID_VALUE; }
CUresult cuCtxSetCurrent(void* ctx) { current = ctx; return OK; }
CUresult cuCtxSynchronize(void) { return current ? OK : INVALID_CONTEXT; }

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    if (!current) return INVALID_CONTEXT;
    void* m = malloc(bytes);
    if (!m) return OUT_OF_MEMORY;
    *p = (CUdeviceptr) m;
    return OK;
}
CUresult cuMemFree_v2(CUdeviceptr p) { if (!current) return INVALID_CONTEXT; free((void*) p); return OK; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t n) { if (!current) return INVALID_CONTEXT; memcpy((void*) dst, src, n); return OK; }
CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t n) { if (!current) return INVALID_CONTEXT; memcpy(dst, (void*) src, n); return OK; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) { if (!current) return INVALID_CONTEXT; memmove((void*) dst, (void*) src, n); return OK; }
CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char v, size_t n) { if (!current) return INVALID_CONTEXT; memset((void*) dst, v, n); return OK; }

// options 5/6 are the error log buffer and its size (passed as a pointer-sized integer)
CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned int n, int* options, void** values) {
    if (!current) return INVALID_CONTEXT;
    char* log = NULL; size_t logSize = 0;
    for (unsigned int i = 0; i < n; i++) {
        if (options[i] == 5) log = values[i];
        if (options[i] == 6) logSize = (size_t) values[i];
    }
    const char* ptx = image;
    const char* version = strstr(ptx, "\n.version ");
    if (!version || !log || logSize < 64) return INVALID_PTX;
    const char* newest = getenv("FAKE_CUDA_PTX_ISA");
    if (newest && atof(version + 10) > atof(newest)) {
        snprintf(log, logSize, "fake JIT: PTX .version %.3s is newer than %s", version + 10, newest);
        rejected_modules++;
        return UNSUPPORTED_PTX_VERSION;
    }
    Module* m = malloc(sizeof(Module));
    m->ptx = strdup(ptx);
    *module = m;
    return OK;
}

CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
    if (!current) return INVALID_CONTEXT;
    char entry[160];
    snprintf(entry, sizeof entry, ".entry %s(", name);
    if (!strstr(((Module*) module)->ptx, entry)) return NOT_FOUND;
    Function* fn = malloc(sizeof(Function));
    snprintf(fn->name, sizeof fn->name, "%s", name);
    *f = fn;
    return OK;
}

static int at(const View* v, int linear) { // as common.cl
    if (v->contiguous) return v->offset + linear;
    int pos = v->offset;
    for (int d = v->rank - 1; d >= 0; d--) { pos += (linear % v->shape[d]) * v->stride[d]; linear /= v->shape[d]; }
    return pos;
}

CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void* stream, void** params, void** extra) {
    if (!current) return INVALID_CONTEXT;
    if (stream || extra || shared || gy * gz * by * bz != 1) return INVALID_VALUE;
    const char* name = ((Function*) f)->name;
    long threads = (long) gx * bx;
    launches++;
    if (!strcmp(name, "fill_view")) { // (dst, View dv, float value, int n)
        float* dst = (float*) *(CUdeviceptr*) params[0];
        const View* dv = params[1];
        float value = *(float*) params[2];
        int n = *(int*) params[3];
        if (dv->dtype != 0) return NOT_SUPPORTED;
        if (threads < n) return INVALID_VALUE;
        for (int i = 0; i < n; i++) dst[at(dv, i)] = value;
        return OK;
    }
    if (!strcmp(name, "copy_view")) { // (src, View sv, dst, View dv, int n)
        const float* src = (const float*) *(CUdeviceptr*) params[0];
        const View* sv = params[1];
        float* dst = (float*) *(CUdeviceptr*) params[2];
        const View* dv = params[3];
        int n = *(int*) params[4];
        if (sv->dtype != 0 || dv->dtype != 0) return NOT_SUPPORTED;
        if (threads < n) return INVALID_VALUE;
        for (int i = 0; i < n; i++) dst[at(dv, i)] = src[at(sv, i)];
        return OK;
    }
    return NOT_SUPPORTED;
}

static const char* names(CUresult e) {
    switch (e) {
        case OK: return "CUDA_SUCCESS";
        case INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case INVALID_PTX: return "CUDA_ERROR_INVALID_PTX";
        case UNSUPPORTED_PTX_VERSION: return "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
        case NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        default: return NULL;
    }
}
CUresult cuGetErrorName(CUresult e, const char** s) { *s = names(e); return *s ? OK : INVALID_VALUE; }
CUresult cuGetErrorString(CUresult e, const char** s) { *s = names(e) ? "described by the fake driver" : NULL; return *s ? OK : INVALID_VALUE; }
