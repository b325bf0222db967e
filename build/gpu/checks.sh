#!/usr/bin/env bash
# The GPU checks of issues 10, 11 and 12 as one call on a GPU box that has no .NET (make the bundle first with
# build/gpu/bundle.sh and carry .gpu-bundle). Each check has a time limit and its own log under $OUT; the table of
# checks and comparisons prints last. Expected to take about 7 minutes on a GPU, most of it the full tiny run and the
# encoder benchmarks (Road's, then PyTorch's); the limits add up past a device call's 600 s, so the checks run most
# important first.
#
# usage (from the repository root):  build/gpu/checks.sh [DEVICE]
#   on the GPU box, through the device tool: command "bash build/gpu/checks.sh", carry [".gpu-bundle"], timeout 600;
#   the logs, figures and summary.txt land in the call's $OUT
#   DEVICE  cuda (default), or cpu to try the script on a machine without a GPU (set ROAD_LIBTORCH to a CPU libtorch,
#           and SIZES=base: the encoder sizes to benchmark, base,large by default)
set -uo pipefail
device=${1:-cuda}
sizes=${SIZES:-base,large}
out=$(readlink -f "${OUT:-artifacts/gpu/out}")
mkdir -p "$out"
source .gpu-bundle/env.sh
host=(dotnet .gpu-bundle/app/Road.Examples.dll)
build=(dotnet .gpu-bundle/app/_build.dll)
samples=$PWD/tests/Road.Runtime.Tests/Fixtures
# torchrun's variables for rank 0 of 1: a run on CUDA joins an NCCL group even alone.
rank0=(env RANK=0 WORLD_SIZE=1 LOCAL_RANK=0 LOCAL_WORLD_SIZE=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=29517)
summary=$out/summary.txt
: > "$summary"

# check NAME SECONDS COMMAND...: runs COMMAND with a time limit, its output in NAME.log, and a line in the summary.
check() {
  local name=$1 limit=$2 start=$SECONDS
  shift 2
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  printf '%-20s rc %-3s %4ss  %s\n' "$name" "$rc" $((SECONDS - start)) "$(grep -v '^[─═ ]*$' "$out/$name.log" | tail -n 1 | cut -c1-150)" >> "$summary"
}

# compare NAME PYTHON: a comparison written in Python's standard library (the box's python3), its answer in the summary.
compare() {
  printf '%-20s %s\n' "$1" "$(python3 -c "$2" 2>&1 | tail -n 1 | cut -c1-400)" >> "$summary"
}

newest() { ls -d "$1"/*/ 2>/dev/null | sort | tail -n 1; }

nvidia-smi > "$out/nvidia-smi.txt" 2>&1

# Issue 11: the tiny experiment's smoke run as one process and as rank 0 of an NCCL group; the metrics must agree.
check smoke-single 90 "${host[@]}" run --name road-tiny --device "$device" --smoke "$samples" --output "$out/single" --no-reuse
check smoke-nccl 90 "${rank0[@]}" "${host[@]}" run --name road-tiny --device "$device" --smoke "$samples" --output "$out/nccl" --no-reuse
compare nccl-vs-single "
import csv, glob, json
def numbers(run):
    def flat(node, path):
        if isinstance(node, dict): return {k: v for key, child in node.items() for k, v in flat(child, path + '.' + key).items()}
        return {path: node} if isinstance(node, (int, float)) else {}
    found = flat(json.load(open(run + 'metrics.json')), 'metrics')
    for losses in glob.glob(run + 'stages/*/losses.tsv'):
        for row in csv.DictReader(open(losses), delimiter='\t'):
            found.update({f'{losses[len(run):]}:{row[\"step\"]}:{k}': float(v) for k, v in row.items()})
    return found
a, b = numbers('$(newest "$out/single/road-tiny-smoke")'), numbers('$(newest "$out/nccl/road-tiny-smoke")')
worst = max(abs(a[k] - b[k]) / max(1.0, abs(a[k])) for k in a)
print(f'{len(a)} numbers (metrics, every logged step), largest relative difference {worst:.1e}:', 'SAME' if a.keys() == b.keys() and worst < 1e-5 else 'DIFFERENT')"
check allreduce 60 "${rank0[@]}" "${host[@]}" benchmark-allreduce --device "$device" --output "$out"

# Issue 12: a SQuAD 2.0 model (a smoke run's) predicts SQuAD 1.1's dev set (10,570 questions) on the CPU, on the
# device in fp32 and in bf16; loading builds the modules on meta and moves them to the device.
check smoke-squad 90 "${host[@]}" run --name table3-electra-large --device "$device" --smoke "$samples" --output "$out/squad" --no-reuse
model=$(newest "$out/squad/table3-electra-large-smoke")stages/Baseline
gunzip -c "$samples/data/real/dev-v1.1.json.gz" > "$out/dev-v1.1.json"
data=$out/dev-v1.1.json
check predict-cpu 60 "${build[@]}" Predict --model "$model" --format squad2 --data "$data" --out "$out/predict-cpu/predictions.json"
check predict-fp32 60 "${build[@]}" Predict --model "$model" --format squad2 --data "$data" --device "$device" --out "$out/predict-fp32/predictions.json"
check predict-bf16 60 "${build[@]}" Predict --model "$model" --format squad2 --data "$data" --device "$device" --precision bf16 --out "$out/predict-bf16/predictions.json"
for precision in fp32 bf16; do
  compare "$precision-vs-cpu" "
import json
def load(p): return json.load(open('$out/' + p + '/predictions.json')), json.load(open('$out/' + p + '/na_probs.json'))
(a, na), (b, nb) = load('predict-cpu'), load('predict-$precision')
same = sum(a[q] == b.get(q) for q in a)
print(f'{same} of {len(a)} answers equal, no-answer probabilities within {max(abs(na[q] - nb[q]) for q in na):.2e}')"
done

# Issue 10: the tiny default trained in full on the device, then ELECTRA-base and -large training steps.
check tiny-full 150 "${host[@]}" run --name road-tiny --device "$device" --output "$out/tiny" --no-reuse
check encoder-bf16 120 "${build[@]}" Benchmark --what encoder --sizes "$sizes" --device "$device" --precision bf16 --output "$out"
# The same steps in PyTorch (build/gpu/pytorch_reference.py), each size and mode in a process of its own, then one
# JSON side by side (build/gpu/side_by_side.py): Road's bf16 step (fp32 masters) against PyTorch's autocast step (the
# peer; the issue's target is 0.86x of it) and its bf16-weights step (the ceiling).
for size in ${sizes//,/ }; do
  for mode in autocast bf16; do
    check "pytorch-$size-$mode" 120 python3 build/gpu/pytorch_reference.py --sizes "$size" --modes "$mode" --out "$out/pytorch-$size-$mode.json"
  done
done
compare side-by-side "import runpy, sys; sys.argv = ['side_by_side.py', '$out', '$device']; runpy.run_path('build/gpu/side_by_side.py')"
# Last, as the least needed: Road's fp32 step.
check encoder-fp32 120 "${build[@]}" Benchmark --what encoder --sizes "$sizes" --device "$device" --precision fp32 --output "$out"

cat "$summary"
