#!/usr/bin/env bash
# Regenerates the Java classes for soft_tokens.fbs (needs flatc 2.0.8: apt-get install flatbuffers-compiler).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../java"
rm -rf "$out/dev/gmsa/compress/format/fbs"
flatc --java -o "$out" "$here/soft_tokens.fbs"
echo "generated into $out/dev/gmsa/compress/format/fbs"
