#!/usr/bin/env bash
# Makes the bundle that build/gpu/checks.sh runs on a GPU box with no .NET: the experiment host (examples) and the
# build app, published together without the CPU libtorch (the box's pip PyTorch brings CUDA's), packed with this
# machine's .NET runtime by the workplace's pack.sh into .gpu-bundle (git ignores it; carry it with the call).
#
# usage (from anywhere):  build/gpu/bundle.sh PATH/TO/pack.sh
set -euo pipefail
pack=$(readlink -f "${1:?usage: build/gpu/bundle.sh PATH/TO/pack.sh}")
cd "$(dirname "$0")/../.."
publish=artifacts/gpu/publish
rm -rf "$publish"
for project in examples/Road.Examples build/_build.csproj; do
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:RoadCpuLibTorch=false -o "$publish" -nologo -v quiet -clp:NoSummary
done
# Neither is used by the GPU checks, and with them the bundle outgrows what a GPU call carries (64 MiB): ONNX
# Runtime's native library (CPU inference) and the MiniLM package that ImportMiniLM reads.
rm -rf "$publish/libonnxruntime.so" "$publish/models"
bash "$pack" "$publish" .gpu-bundle
