"""Issue 10's one JSON: Road's `Benchmark --what encoder` bf16 step (bf16 compute, fp32 master weights) beside
PyTorch's autocast step (the peer; the target is at most 0.86x of it) and bf16-weights step (the ceiling), from the
files build/gpu/checks.sh leaves in OUT. Writes OUT/side-by-side.json and prints one line.

usage:  python3 build/gpu/side_by_side.py OUT DEVICE
"""
import glob
import json
import os
import sys

out, device = sys.argv[1], sys.argv[2]
road = json.load(open(os.path.join(out, "benchmarks", f"encoder-{device}-bf16.json")))
pytorch = {(r["Model"], r["Precision"]): r for f in sorted(glob.glob(os.path.join(out, "pytorch-*.json"))) for r in json.load(open(f))}
rows = []
for r in road:
    peer, ceiling = pytorch.get((r["Model"], "autocast")), pytorch.get((r["Model"], "bf16"))
    rows.append({
        "model": r["Model"], "road": r, "pytorch_autocast": peer, "pytorch_bf16_weights": ceiling,
        "step_ratio_to_autocast": peer and r["MillisecondsPerStep"] / peer["MillisecondsPerStep"],
        "step_ratio_to_bf16_weights": ceiling and r["MillisecondsPerStep"] / ceiling["MillisecondsPerStep"],
        "nvml_peak_ratio_to_autocast": peer and r["PeakMemoryBytes"] / peer["PeakMemoryBytes"],
    })
with open(os.path.join(out, "side-by-side.json"), "w") as f:
    json.dump(rows, f, indent=2)
print("; ".join(
    f"{x['model']} Road {x['road']['MillisecondsPerStep']:.1f} ms/step vs PyTorch autocast {x['pytorch_autocast']['MillisecondsPerStep']:.1f}"
    f" (x{x['step_ratio_to_autocast']:.2f}), NVML peak x{x['nvml_peak_ratio_to_autocast']:.2f}" if x["pytorch_autocast"]
    else f"{x['model']}: no PyTorch figure" for x in rows))
