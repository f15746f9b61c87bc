#!/usr/bin/env bash
# On a GPU machine, with .gpu/ from bench/gpu/bundle.sh carried along: lists the devices, runs the CUDA backend's
# contract and kernel tests (and the training-step comparison with the CPU), then SGEMM benchmarks.
# Usage: bash bench/gpu/on-device.sh [tests|bench|all]   (default all); output also under $OUT when set.
set -uo pipefail
cd "$(dirname "$0")/../.."
what="${1:-all}"
mkdir -p /tmp/gmsa-jdk && tar -C /tmp/gmsa-jdk -xJf .gpu/jdk.tar.xz
JAVA=/tmp/gmsa-jdk/jdk/bin/java
CP=$(ls .gpu/lib/*.jar | tr '\n' ':')
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
log="${OUT:-/tmp}/gpu-run.log"
{
  nvidia-smi -L || true
  "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.gmsa.cli.Main devices
  if [ "$what" != bench ]; then
    # each module's tests run from its folder, as under Maven (some read their sources or fixtures relative to it)
    (cd tensor && "$JAVA" "${FLAGS[@]}" -jar ../.gpu/junit-console.jar execute --disable-banner --details=summary \
        --class-path "../.gpu/test-classes/tensor:$(ls ../.gpu/lib/*.jar | tr '\n' ':')" --select-package dev.gmsa.tensor.cuda --exclude-classname ".*FakeDriver.*")
    (cd transformer && "$JAVA" "${FLAGS[@]}" -jar ../.gpu/junit-console.jar execute --disable-banner --details=summary \
        --class-path "../.gpu/test-classes/transformer:$(ls ../.gpu/lib/*.jar | tr '\n' ':')" \
        --select-class dev.gmsa.transformer.OpenClTrainingStepTest)
  fi
  if [ "$what" != tests ]; then
    for n in 1024 2048 4096; do
      "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.gmsa.bench.BenchMain sgemm --device cuda --size $n
    done
    # decode on a 1B-parameter shape: the GPU against this machine's CPU cores (the issue asks for >= 10x)
    "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.gmsa.bench.BenchMain model --device cuda --shape llama1b --what prefill,decode \
        --prompt 64 --new-tokens 64 --runs 3 --warmup 1
    "$JAVA" "${FLAGS[@]}" -Xmx24g -cp "$CP" dev.gmsa.bench.BenchMain model --device cpu --threads "$(nproc)" --shape llama1b \
        --what decode --prompt 16 --new-tokens 16 --runs 2 --warmup 1
    # the vendor library in the same run: cuBLAS SGEMM through PyTorch, TF32 off (plain FP32, as ours)
    python3 - <<'PY' || echo "peer: PyTorch with CUDA not available here"
import time, torch
torch.backends.cuda.matmul.allow_tf32 = False
for n in (1024, 2048, 4096):
    a, b = torch.randn(n, n, device="cuda"), torch.randn(n, n, device="cuda")
    for _ in range(3): a @ b
    torch.cuda.synchronize(); reps = max(1, int(2e11 / (2 * n ** 3))); t = time.perf_counter()
    for _ in range(reps): a @ b
    torch.cuda.synchronize(); s = (time.perf_counter() - t) / reps
    print(f"peer=cublas_sgemm size={n} gflops={2 * n ** 3 / s / 1e9:.1f}")
PY
  fi
} 2>&1 | tee "$log"
