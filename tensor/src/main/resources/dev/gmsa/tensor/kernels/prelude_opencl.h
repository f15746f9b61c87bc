// The kernel dialect as OpenCL C 1.2. The kernels are written in OpenCL C plus the six words below, so that
// the same files also compile as CUDA C++ with prelude_cuda.h in front of them instead of this file.
#define KERNEL __kernel                   // a kernel: an entry point the host launches
#define DEVICE inline                     // a helper called from kernels
#define GLOBAL __global                   // pointer into device memory (a buffer argument)
#define LOCAL __local                     // an array shared by a work-group, declared in a kernel
#define LOCAL_PTR __local                 // a pointer to such an array, passed to a helper
#define WORK_GROUP_SIZE(x, y, z) __attribute__((reqd_work_group_size(x, y, z)))

// `real` is double where the device has fp64 (the reference's arithmetic), float otherwise.
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
#else
typedef float real;
#endif

// F16 element `pos` of a buffer, widened / narrowed with round-to-nearest-even (core OpenCL 1.2).
inline float load_half(__global const uchar* buf, int pos) {
    return vload_half(pos, (__global const half*) buf);
}

inline void store_half(__global uchar* buf, int pos, float v) {
    vstore_half_rte(v, pos, (__global half*) buf);
}
