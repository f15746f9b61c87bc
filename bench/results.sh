#!/usr/bin/env bash
# Re-measures the table in bench/RESULTS.md: our sgemm and gemv-bf16 next to NumPy/OpenBLAS and the
# STREAM-like copy, all in one session. Run from the project root on an otherwise idle machine:
#   bash bench/results.sh | tee bench/results.txt
# Needs: apt-get install -y python3-numpy libopenblas0-pthread gcc   (uses /usr/bin/python3, not pyenv's)
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS="${PEERS:-../shared/peers}"
SIZES="${SIZES:-256 512 1024 2048 4096}"

echo "# machine"; lscpu | grep -E 'Model name|^CPU\(s\)|L1d|L2|L3'; uptime
bin/gmsa build >/dev/null

echo "# ours: bin/gmsa bench sgemm --size N --threads T --runs 7 --warmup 3"
for t in 1 2; do for n in $SIZES; do
  echo "sgemm n=$n t=$t $(bin/gmsa bench sgemm --size "$n" --threads "$t" --runs 7 --warmup 3 | tail -1)"
done; done

echo "# peer: NumPy/OpenBLAS"
/usr/bin/python3 "$PEERS/sgemm.py" --sizes $SIZES --threads 1 2 --backends numpy --coretypes default --runs 7

echo "# ours: bin/gmsa bench gemv-bf16 --rows 8192 --cols 8192 --threads T"
for t in 1 2; do
  echo "gemv-bf16 8192x8192 t=$t $(bin/gmsa bench gemv-bf16 --rows 8192 --cols 8192 --threads "$t" | tail -1)"
done

echo "# peer: STREAM-like copy"
gcc -Ofast -march=native -fopenmp "$PEERS/stream.c" -o /tmp/stream
for t in 1 2; do OMP_NUM_THREADS=$t /tmp/stream; done
uptime
