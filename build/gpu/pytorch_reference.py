"""The PyTorch side of issue 10's comparison: the training step `Benchmark --what encoder` times in Road, in PyTorch.

Same model (ELECTRA discriminator shapes with a span head, random weights), batch, length, inputs (random token
ids, a quarter of the tokens of type 0, random start and end positions), loss (mean of the start and end cross
entropies), optimizer (AdamW, lr 1e-4, weight decay 0.01 except biases and LayerNorm, eps 1e-6, clipping at 1.0),
warmup and steps; then a few steps timed phase by phase, synchronising in between, as Road does. Two modes:
`autocast` (fp32 weights, bf16 autocast, fused AdamW: the peer Road's bf16 compute with fp32 masters is measured
against) and `bf16` (weights held in bf16 only, fused AdamW: the ceiling). Memory: the device's used memory as
NVML reports it after each timed step (how Road measures its own), and the caching allocator's peak
(`max_memory_allocated`).

usage (on the GPU box):  python3 build/gpu/pytorch_reference.py --sizes base,large --out FILE.json
"""
import argparse
import json
import subprocess
import time

import torch
import transformers

PRESETS = {
    "base": dict(embedding_size=768, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
    "large": dict(embedding_size=1024, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096),
}


def device_used_bytes():
    """Used memory of GPU 0 as NVML reports it (torch's NVML binding, else nvidia-smi)."""
    try:
        return int(torch.cuda.device_memory_used(0))
    except Exception:
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.split()[0]) * 1024 * 1024


def build(size, mode):
    config = transformers.ElectraConfig(vocab_size=30522, max_position_embeddings=512, **PRESETS[size])
    try:
        model = transformers.AutoModelForQuestionAnswering.from_config(config, attn_implementation="sdpa")
    except Exception:
        model = transformers.ElectraForQuestionAnswering(config)
    dtype = torch.bfloat16 if mode == "bf16" else torch.float32
    model = model.to(device="cuda", dtype=dtype).train()
    attention = getattr(model.config, "_attn_implementation", "eager")
    decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or "LayerNorm" in n)]
    rest = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                                  lr=1e-4, eps=1e-6, fused=True)
    return model, optimizer, attention


def run(size, mode, batch, length, warmup, steps):
    torch.manual_seed(0)
    torch.cuda.reset_peak_memory_stats()
    model, optimizer, attention = build(size, mode)
    ids = torch.randint(0, 30522, (batch, length), device="cuda")
    mask = torch.ones_like(ids)
    types = torch.cat([torch.zeros(batch, length // 4, dtype=torch.long, device="cuda"),
                       torch.ones(batch, length - length // 4, dtype=torch.long, device="cuda")], 1)
    start = torch.randint(0, length, (batch,), device="cuda")
    end = torch.randint(0, length, (batch,), device="cuda")

    def forward():
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=(mode == "autocast")):
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types)
        loss_start = torch.nn.functional.cross_entropy(out.start_logits.float(), start)
        loss_end = torch.nn.functional.cross_entropy(out.end_logits.float(), end)
        return (loss_start + loss_end) / 2

    def update():
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    def step():
        optimizer.zero_grad(set_to_none=True)
        forward().backward()
        update()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    peak_used = 0
    clock = time.perf_counter()
    for _ in range(steps):
        step()
        peak_used = max(peak_used, device_used_bytes())
    torch.cuda.synchronize()
    ms_per_step = (time.perf_counter() - clock) * 1000 / steps

    phases = [0.0, 0.0, 0.0]
    phased = max(1, min(steps, 5))
    for _ in range(phased):
        optimizer.zero_grad(set_to_none=True)
        marks = [time.perf_counter()]
        loss = forward()
        torch.cuda.synchronize()
        marks.append(time.perf_counter())
        loss.backward()
        torch.cuda.synchronize()
        marks.append(time.perf_counter())
        update()
        torch.cuda.synchronize()
        marks.append(time.perf_counter())
        for i in range(3):
            phases[i] += (marks[i + 1] - marks[i]) * 1000
    return {
        "Model": f"electra-{size}", "Device": "cuda", "Precision": mode, "BatchSize": batch, "Length": length, "Steps": steps,
        "MillisecondsPerStep": ms_per_step, "ExamplesPerSecond": batch * 1000 / ms_per_step,
        "ForwardMilliseconds": phases[0] / phased, "BackwardMilliseconds": phases[1] / phased, "OptimizerMilliseconds": phases[2] / phased,
        "PeakMemoryBytes": peak_used, "MemorySource": "NVML device memory used (includes the CUDA context)",
        "MaxMemoryAllocatedBytes": torch.cuda.max_memory_allocated(),
        "Parameters": sum(p.numel() for p in model.parameters()),
        "Attention": attention, "Torch": torch.__version__, "Transformers": transformers.__version__,
        "Gpu": torch.cuda.get_device_name(0),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="base,large")
    parser.add_argument("--modes", default="autocast,bf16")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--length", type=int, default=384)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    results = []
    for size in args.sizes.split(","):
        for mode in args.modes.split(","):
            r = run(size, mode, args.batch_size, args.length, args.warmup, args.steps)
            print(f"{r['Model']} {mode}: {r['MillisecondsPerStep']:.1f} ms/step (forward {r['ForwardMilliseconds']:.1f}, "
                  f"backward {r['BackwardMilliseconds']:.1f}, optimizer {r['OptimizerMilliseconds']:.1f}), "
                  f"NVML peak {r['PeakMemoryBytes'] / 2**30:.2f} GiB, allocator peak {r['MaxMemoryAllocatedBytes'] / 2**30:.2f} GiB, attention {r['Attention']}",
                  flush=True)
            results.append(r)
            torch.cuda.empty_cache()
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
