#!/usr/bin/env python3
"""Writes the malformed-input corpus next to this script: data files, checkpoint folders and prediction files that
Road must refuse with exit code 1 and one clear message (cases.json says which command and what the message must
name). Run from this folder; the output is committed, so CI needs no Python."""
import gzip, json, os, shutil, struct, zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
fixtures = os.path.join(root, "tests", "Road.Runtime.Tests", "Fixtures")
cases = []

def write(name, data):
    path = os.path.join(here, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return name

def data(name, fmt, content, expect, strict=False):
    write("data/" + name, content)
    args = ["DescribeData", "--format", fmt, "--data", "{corpus}/data/" + name] + (["--strict"] if strict else [])
    cases.append({"name": name, "args": args, "expect": expect})

squad_ok = {"version": "v2.0", "data": [{"title": "t", "paragraphs": [{"context": "Mia lives in Paris.", "qas": [
    {"id": "q1", "question": "Where?", "answers": [{"text": "Paris", "answer_start": 13}], "is_impossible": False}]}]}]}
squad_text = json.dumps(squad_ok, indent=1)

# SQuAD 2.0 JSON
data("squad-truncated.json", "squad2", squad_text[: len(squad_text) // 2], "truncated")
data("squad-empty.json", "squad2", "", "squad-empty.json")
data("squad-context-number.json", "squad2", squad_text.replace('"Mia lives in Paris."', "5"), "$.data[0].paragraphs[0].context: expected a string")
data("squad-nan.json", "squad2", squad_text.replace('"answer_start": 13', '"answer_start": NaN'), "not valid JSON")
data("squad-invalid-utf8.json", "squad2", squad_text.encode("utf-8").replace(b"Paris.", b"Par\xff\xfeis."), "UTF-8")
data("squad-bad-gzip.json.gz", "squad2", b"\x1f\x8b\x08\x00" + bytes(range(200)), "gzip")
data("squad-answer-out-of-range.json", "squad2", squad_text.replace('"answer_start": 13', '"answer_start": 1300'), "$.data[0].paragraphs[0].qas[0].answers[0]", strict=True)
data("squad-answer-not-at-offset.json", "squad2", squad_text.replace('"text": "Paris"', '"text": "Lyon"'), "\"Lyon\" is not at offset 13", strict=True)
data("squad-data-not-array.json", "squad2", '{"version": "v2.0", "data": {"title": "t"}}', "$.data")
data("squad-no-qas.json", "squad2", squad_text.replace('"qas"', '"questions"'), "$.data[0].paragraphs[0].qas: expected an array (missing)")
answers_object = json.loads(squad_text); answers_object["data"][0]["paragraphs"][0]["qas"][0]["answers"] = {"text": "Paris"}
data("squad-answers-object.json", "squad2", json.dumps(answers_object, indent=1), "$.data[0].paragraphs[0].qas[0].answers: expected an array")
data("squad-no-id.json", "squad2", squad_text.replace('"id": "q1",', ""), "$.data[0].paragraphs[0].qas[0].id: expected a string (missing)")
data("squad-top-level-array.json", "squad2", "[1, 2, 3]", "$ should be an object with a \"data\" array")
data("squad-answer-start-string.json", "squad2", squad_text.replace('"answer_start": 13', '"answer_start": "13"'), "answer_start: expected an integer")

# MRQA JSON lines
mrqa_header = json.dumps({"header": {"dataset": "NewsQA", "split": "dev"}})
mrqa_line = {"context": "Rocky lives here.", "qas": [{"qid": "a", "question": "Who?", "answers": ["Rocky"],
    "detected_answers": [{"text": "Rocky", "char_spans": [[0, 4]], "token_spans": [[0, 0]]}]}]}
data("mrqa-not-json.jsonl", "mrqa", mrqa_header + "\n{context: oops}\n", "mrqa-not-json.jsonl:2: not valid JSON")
bad_span = json.loads(json.dumps(mrqa_line)); bad_span["qas"][0]["detected_answers"][0]["char_spans"] = [[0]]
data("mrqa-span-one-number.jsonl", "mrqa", mrqa_header + "\n" + json.dumps(bad_span) + "\n", "char_spans[0]: expected [start, end]")
no_context = json.loads(json.dumps(mrqa_line)); del no_context["context"]
data("mrqa-no-context.jsonl", "mrqa", mrqa_header + "\n" + json.dumps(no_context) + "\n", "$.context: expected a string (missing)")
# NewsQA combined JSON
data("newsqa-no-consensus.json", "newsqa", json.dumps({"data": [{"storyId": "s", "text": "A story.", "questions": [{"q": "What?"}]}]}), "consensus: expected an object")
# QuAC
quac = {"data": [{"paragraphs": [{"id": "d1", "context": "Ann sang. CANNOTANSWER", "qas": [
    {"id": "d1#0", "question": "What?", "answers": [{"text": "sang", "answer_start": 4}], "followup": "y", "yesno": "x"}]}]}]}
bad_quac = json.loads(json.dumps(quac)); bad_quac["data"][0]["paragraphs"][0]["qas"][0]["followup"] = "z"
data("quac-followup-z.json", "quac", json.dumps(bad_quac), "followup: expected one of y/m/n")
data("quac-truncated.json", "quac", json.dumps(quac)[:40], "truncated")
# MultiNLI / SNLI JSON lines
nli = {"gold_label": "neutral", "sentence1": "A man.", "sentence2": "A person.", "pairID": "1"}
data("mnli-unknown-label.jsonl", "mnli", json.dumps(dict(nli, gold_label="maybe")) + "\n", "gold_label: expected entailment, neutral, contradiction or -")
data("mnli-line-is-array.jsonl", "mnli", json.dumps(nli) + "\n[1, 2]\n", "mnli-line-is-array.jsonl:2: expected one JSON object per line")
no_second = dict(nli); del no_second["sentence2"]
data("snli-no-sentence2.jsonl", "snli", json.dumps(no_second) + "\n", "$.sentence2: expected a string (missing)")
# GLUE TSV
glue_header = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n"
data("glue-mnli-no-gold-label.tsv", "glue-mnli", glue_header.replace("\tgold_label", "") + "0\t1\t1\tx\t-\t-\t-\t-\ta\tb\tneutral\n", "the header lacks gold_label")
data("glue-mnli-bad-label.tsv", "glue-mnli", glue_header + "0\t1\t1\tx\t-\t-\t-\t-\ta\tb\tneutral\txyz\n", "glue-mnli-bad-label.tsv:2: gold_label should be entailment, neutral or contradiction")
data("glue-qqp-duplicate-2.tsv", "glue-qqp", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n1\t1\t2\tA?\tB?\t2\n", "glue-qqp-duplicate-2.tsv:2: is_duplicate should be 0 or 1")
data("glue-qqp-wrong-columns.tsv", "glue-qqp", "a\tb\tc\n1\t2\t3\n", "glue-qqp-wrong-columns.tsv:1: the header lacks id, question1, question2, is_duplicate")
# Amazon reviews JSON lines
data("amazon-rating-word.json", "amazon", json.dumps({"overall": "five", "reviewText": "Great."}) + "\n", "$.overall", strict=True)
data("amazon-not-json.json", "amazon", "overall=5 reviewText=Great\n", "amazon-not-json.json:1: not valid JSON")
# QA-SRL 2.0 JSON lines and 1.0 text
data("qasrl-verbs-array.jsonl", "qasrl", json.dumps({"sentenceId": "s", "sentenceTokens": ["A", "b"], "verbEntries": []}) + "\n", "verbEntries: expected an object of verb entries")
data("qasrl-v1-truncated.qa", "qasrl-v1", "WIKI1_0\t2\nThe cat sat .\n1\tsat\t1\n", "the file ends where")
# QA-ZRE TSV
data("qazre-too-few-columns.tsv", "qazre", "relation\tWho is XXX?\tsubject\n", "qazre-too-few-columns.tsv:1: expected relation, question template, subject, sentence")
# Parquet
data("parquet-random-bytes.parquet", "parquet", bytes((i * 37 + 11) % 256 for i in range(600)), "not a readable Parquet file")
data("parquet-truncated.parquet", "parquet", b"PAR1" + bytes(100), "not a readable Parquet file")

# Checkpoints
def checkpoint(name, files, expect):
    for file, content in files.items():
        write("checkpoints/" + name + "/" + file, content)
    cases.append({"name": name, "args": ["InspectCheckpoint", "--path", "{corpus}/checkpoints/" + name], "expect": expect})

tiny = os.path.join(fixtures, "hf-reference", "electra-tiny")
config = open(os.path.join(tiny, "config.json")).read()
vocab = open(os.path.join(tiny, "vocab.txt")).read()

def safetensors(header_obj, body_bytes):
    h = json.dumps(header_obj).encode()
    return struct.pack("<Q", len(h)) + h + body_bytes

# The weights files hold one or two tensors of electra-tiny's shapes: every check fires on those (a missing key is
# reported beside the fault each case is about), and the corpus stays a few kilobytes.
first = "electra.embeddings.LayerNorm.weight"
header = {first: {"dtype": "F32", "shape": [16], "data_offsets": [0, 64]}}
body = struct.pack("<16f", *([1.0] * 16))
weights = safetensors(header, body)
header_length = len(weights) - 8 - len(body)

checkpoint("header-longer-than-file", {"config.json": config, "model.safetensors": struct.pack("<Q", 10 ** 6) + b"{}"}, "the header claims 1000000 bytes but the file holds")
checkpoint("header-huge", {"config.json": config, "model.safetensors": struct.pack("<Q", 1 << 62) + weights[8:]}, "the header claims")
checkpoint("header-not-json", {"config.json": config, "model.safetensors": struct.pack("<Q", 8) + b"not json" + body}, "the header is not valid JSON")
checkpoint("header-array", {"config.json": config, "model.safetensors": struct.pack("<Q", 2) + b"[]" + body}, "the header is not a JSON object")
past = json.loads(json.dumps(header)); past[first]["data_offsets"] = [0, len(body) + 4096]
checkpoint("offsets-past-the-file", {"config.json": config, "model.safetensors": safetensors(past, body)}, "lie outside the")
short = json.loads(json.dumps(header)); b, e = short[first]["data_offsets"]; short[first]["data_offsets"] = [b, e - 4]
checkpoint("short-tensor-data", {"config.json": config, "model.safetensors": safetensors(short, body)}, "bytes but F32")
dtype = json.loads(json.dumps(header)); dtype[first]["dtype"] = "F8_E5M2"
checkpoint("unknown-dtype", {"config.json": config, "model.safetensors": safetensors(dtype, body)}, "is not a safetensors dtype Road reads")
checkpoint("config-missing-hidden-size", {"config.json": config.replace('"hidden_size": 32,', ""), "model.safetensors": weights}, "missing key \"hidden_size\"")
checkpoint("config-not-json", {"config.json": config[:50], "model.safetensors": weights}, "config.json: not valid JSON")
checkpoint("config-roberta", {"config.json": config.replace('"model_type": "electra"', '"model_type": "roberta"'), "model.safetensors": weights}, "model_type \"roberta\" is not supported")
checkpoint("config-hidden-size-text", {"config.json": config.replace('"hidden_size": 32', '"hidden_size": "32"'), "model.safetensors": weights}, "key \"hidden_size\" should be an integer, found \"32\"")
intermediate = "electra.encoder.layer.0.intermediate.dense.weight"
checkpoint("shape-mismatch", {"config.json": config.replace('"intermediate_size": 37', '"intermediate_size": 40'),
    "model.safetensors": safetensors({intermediate: {"dtype": "F32", "shape": [37, 32], "data_offsets": [0, 37 * 32 * 4]}}, bytes(37 * 32 * 4))},
    "wrong shapes: encoder.layer.0.intermediate.dense.weight: checkpoint [37, 32], config.json implies [40, 32]")
checkpoint("no-config", {"model.safetensors": weights}, "no config.json; expected a HuggingFace checkpoint folder")
checkpoint("no-weights", {"config.json": config}, "no weights; expected one of model.safetensors")
checkpoint("shard-missing-file", {"config.json": config, "model.safetensors.index.json": json.dumps({"weight_map": {first: "model-00001-of-00002.safetensors"}})}, "names shard model-00001-of-00002.safetensors, which is not in")
checkpoint("shard-outside-folder", {"config.json": config, "model.safetensors.index.json": json.dumps({"weight_map": {first: "../header-array/model.safetensors"}})}, "outside the checkpoint folder")
checkpoint("shard-index-not-json", {"config.json": config, "model.safetensors.index.json": "{weight_map"}, "model.safetensors.index.json: not valid JSON")
checkpoint("random-safetensors", {"config.json": config, "model.safetensors": bytes((i * 131 + 7) % 256 for i in range(4096))}, "model.safetensors:")
checkpoint("random-bin", {"config.json": config, "pytorch_model.bin": bytes((i * 131 + 7) % 256 for i in range(4096))}, "pytorch_model.bin: not a readable PyTorch state dict")
# A pickle that calls os.system when Python unpickles it; Road must refuse it without running anything.
evil = b"cos\nsystem\n(S'touch /tmp/road-malformed-pickle-ran'\ntR."
checkpoint("pickle-calls-a-function", {"config.json": config, "pytorch_model.bin": evil}, "pytorch_model.bin: not a readable PyTorch state dict")
os.makedirs(os.path.join(here, "checkpoints", "pickle-zip-calls-a-function"), exist_ok=True)
with zipfile.ZipFile(os.path.join(here, "checkpoints", "pickle-zip-calls-a-function", "pytorch_model.bin"), "w") as z:
    # Fixed timestamps, so that the corpus is the same bytes whenever it is written.
    z.writestr(zipfile.ZipInfo("archive/data.pkl", date_time=(2026, 1, 1, 0, 0, 0)), evil)
    z.writestr(zipfile.ZipInfo("archive/version", date_time=(2026, 1, 1, 0, 0, 0)), "3\n")
write("checkpoints/pickle-zip-calls-a-function/config.json", config)
cases.append({"name": "pickle-zip-calls-a-function", "args": ["InspectCheckpoint", "--path", "{corpus}/checkpoints/pickle-zip-calls-a-function"], "expect": "pytorch_model.bin: not a readable PyTorch state dict"})
checkpoint("nan-weights", {"config.json": config, "vocab.txt": vocab, "model.safetensors": safetensors(header, struct.pack("<16f", *([float("nan")] * 16)))}, "NaN or infinite values in: embeddings.LayerNorm.weight")

# Predictions for Evaluate
gold = write("evaluate/dev.json", squad_text)
write("evaluate/predictions-not-json.json", "{\"q1\": ")
cases.append({"name": "predictions-not-json", "args": ["Evaluate", "--data", "{corpus}/evaluate/dev.json", "--predictions", "{corpus}/evaluate/predictions-not-json.json", "--out", "{output}/eval.json"], "expect": "predictions-not-json.json:1: not valid JSON"})
write("evaluate/predictions-numbers.json", "{\"q1\": 5}")
cases.append({"name": "predictions-numbers", "args": ["Evaluate", "--data", "{corpus}/evaluate/dev.json", "--predictions", "{corpus}/evaluate/predictions-numbers.json", "--out", "{output}/eval.json"], "expect": "$[\"q1\"] should be a string"})
write("evaluate/na-probs-strings.json", "{\"q1\": \"high\"}")
write("evaluate/predictions-ok.json", "{\"q1\": \"Paris\"}")
cases.append({"name": "na-probs-strings", "args": ["Evaluate", "--data", "{corpus}/evaluate/dev.json", "--predictions", "{corpus}/evaluate/predictions-ok.json", "--na-probs", "{corpus}/evaluate/na-probs-strings.json", "--out", "{output}/eval.json"], "expect": "na-probs-strings.json: $[\"q1\"] should be a number"})

# What each message must name: the file or folder the case is about.
for case in cases:
    case.setdefault("names", os.path.basename([a for a in case["args"] if a.startswith("{corpus}") and not a.endswith("/dev.json") and "predictions-ok" not in a][-1]))

with open(os.path.join(here, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(len(cases), "cases")
