#!/usr/bin/env bash
# Packs what a GPU machine WITHOUT Java needs to run the CUDA backend's tests and benchmarks into .gpu/ (ignored
# by git, small enough to carry: ~30 MB): a jlink'd JDK 25 runtime (xz), the project's jars and their
# dependencies, the tensor and transformer test classes, and JUnit's console launcher. Run it from the
# repository root after a build (bin/gmsa builds on first use); then on the GPU machine: bash bench/gpu/on-device.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JDK/bin/jlink" ] || { echo "bundle.sh: needs a JDK 25 (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
JUNIT=org.junit.platform:junit-platform-console-standalone:1.14.1

mvn -q -o install -DskipTests
mvn -q -o test-compile -pl tensor,transformer
rm -rf .gpu && mkdir -p .gpu/lib .gpu/test-classes
# the runtime: only the modules the engine and the tests use (no java.desktop: plots are not needed there)
jlink --add-modules java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported,java.xml \
      --strip-native-debug-symbols=objcopy=/usr/bin/objcopy --strip-java-debug-attributes \
      --no-man-pages --no-header-files --output .gpu/jdk 2>/dev/null
tar -C .gpu -cJf .gpu/jdk.tar.xz jdk && rm -rf .gpu/jdk
# runtime and test dependencies (jqwik, JUnit), then the project's own jars and test classes
for m in bench transformer; do
  mvn -q -o dependency:build-classpath -pl $m -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/.gpu/cp-$m.txt"
  tr ':' '\n' < .gpu/cp-$m.txt | grep -v "^$PWD/" | while read -r jar; do cp -n "$jar" .gpu/lib/; done
done
for m in tensor autograd transformer loaders compress bench; do cp $m/target/*.jar .gpu/lib/; done
rm -f .gpu/lib/*-tests.jar .gpu/cp-*.txt
cp -r tensor/target/test-classes .gpu/test-classes/tensor
cp -r transformer/target/test-classes .gpu/test-classes/transformer
mvn -q dependency:get -Dartifact=$JUNIT
cp ~/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.1/*.jar .gpu/junit-console.jar
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
du -sh .gpu
