#!/usr/bin/env bash
# The fault table: injects each fault on purpose, records the workbench's message (its one stderr
# line), its exit code, and what was lost, then fixes the fault and reruns the same command. "Lost"
# is measured: a refused command must leave the results folder byte-identical (sha256 of every file
# before and after); a command interrupted mid-run must, once rerun, end with results identical to an
# uninterrupted run (weights bit for bit, CSV/JSON without their wall-clock columns).
#
#   sudo scripts/fault-table.sh [--out /tmp/fault-table]     # writes <out>/faults.md (a Markdown table)
#
# Needs root for the read-only and full file systems (a private mount namespace, `unshare -m`) and
# to run as another user (`setpriv`); python3 edits safetensors headers. Paths in messages are
# shortened to $T (the scratch folder).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=/tmp/fault-table
[ "${1:-}" = "--out" ] && out=$2
rm -rf "$out"; mkdir -p "$out"
T=$out
workbench=$root/Workbench/bin/Release/net10.0/linux-x64/workbench
[ -x "$workbench" ] || dotnet build Workbench -c Release >/dev/null || exit 1
table=$out/faults.md
echo "| fault | how it was made | message (stderr) | exit | lost |" >"$table"
echo "|---|---|---|---|---|" >>"$table"

finetune=(--threads 1 finetune --task fine-foods --method r4f --seed 1 --set max_steps=12 --set max_length=32 --set checkpoint_every=4 --set eval_every=6)
snap() { (cd "$1" 2>/dev/null && find . -type f ! -name '*.log' -exec sha256sum {} + | sort); }
short() { head -n 1 | sed "s|$T|\$T|g; s/|/\\\\|/g" | cut -c1-400; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" >>"$table"; echo "$1: exit $4; $5"; }

# Compared files and their normal forms (see scripts/kill-trials.sh).
compared_files() { (cd "$1" && find . -type f ! -name manifest.json ! -name '*.log' ! -name study.json ! -name SHA256SUMS ! -name .lock ! -path '*/.superseded/*' | sort); }
normalized() {
  case "$1" in
    *.csv) awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = (tolower($i) ~ /seconds/) } { l = ""; for (i = 1; i <= NF; i++) if (!drop[i]) l = l (l == "" ? "" : ",") $i; print l }' "$1" ;;
    *.json) grep -v -i -E '"[a-z_]*seconds"' "$1" ;;
    *) cat "$1" ;;
  esac
}
same_as_reference() {
  local trial=$1 found
  found=$( { diff <(compared_files "$T/reference") <(compared_files "$trial") | head -3
    while read -r f; do [ -f "$trial/$f" ] || continue
      if [[ "$f" == */DONE ]]; then continue
      elif [[ "$f" == *.safetensors ]]; then cmp -s "$T/reference/$f" "$trial/$f" || echo "differs: $f"
      else cmp -s <(normalized "$T/reference/$f") <(normalized "$trial/$f") || echo "differs: $f"; fi
    done < <(compared_files "$T/reference"); } | head -3)
  [ -z "$found" ] && echo "nothing: the rerun's results equal an uninterrupted run's" || echo "LOST: $found"
}

# A refused command: message, exit code, and whether the results folder stayed byte-identical; then the fix.
refusal() {
  local name=$1 how=$2 results=$3 fix=$4; shift 4
  local before after message code
  before=$(snap "$results")
  "$@" >/dev/null 2>"$T/stderr"; code=$?; message=$(short <"$T/stderr")
  after=$(snap "$results")
  local lost="nothing: results byte-identical"
  [ "$before" != "$after" ] && lost="CHANGED: results differ after the refusal"
  if [ -n "$fix" ]; then eval "$fix" >/dev/null 2>&1 && lost="$lost; the corrected command then ran (exit 0)" || lost="$lost; the corrected command FAILED"; fi
  row "$name" "$how" "$message" "$code" "$lost"
}

model_copy() { rm -rf "$T/models/$1"; mkdir -p "$T/models"; cp -r data/base "$T/models/$1"; rm "$T/models/$1/SHA256SUMS"; echo "$T/models/$1"; }
edit_header() { python3 - "$1" "$2" <<'EOF'
import json, struct, sys
path, action = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read(); n = struct.unpack('<Q', data[:8])[0]; header = json.loads(data[8:8 + n])
if action == 'drop': del header['bert.encoder.layer.1.output.dense.bias']
if action == 'f8':
    name = 'bert.encoder.layer.1.output.dense.bias'; shape = header[name]['shape']
    header[name]['dtype'] = 'F8_E5M2'; header[name]['shape'] = [shape[0] * 4]
text = json.dumps(header).encode(); open(path, 'wb').write(struct.pack('<Q', len(text)) + text + data[8 + n:])
EOF
}

echo "reference run..."
"$workbench" "${finetune[@]}" --out "$T/reference" >/dev/null || { echo "the reference run failed"; exit 1; }
results=$T/results; mkdir -p "$results"; cp -r "$T/reference" "$results/earlier-run"

m=$(model_copy shape); sed -i 's/"intermediate_size": 512/"intermediate_size": 384/' "$m/config.json"
refusal "model: shape disagrees with config.json" "intermediate_size 512 → 384 in config.json" "$results" \
  "\"$workbench\" ${finetune[*]} --out $results/run-shape" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-shape"
m=$(model_copy truncated); truncate -s -100 "$m/model.safetensors"
refusal "model: truncated safetensors" "last 100 bytes cut" "$results" "" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-truncated"
m=$(model_copy missing); edit_header "$m/model.safetensors" drop
refusal "model: missing tensor" "one tensor removed from the header" "$results" "" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-missing"
m=$(model_copy vocab); printf 'extra1\nextra2\n' >>"$m/vocab.txt"
refusal "model: vocabulary larger than the embeddings" "two pieces appended to vocab.txt" "$results" "" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-vocab"
m=$(model_copy f8); edit_header "$m/model.safetensors" f8
refusal "model: F8_E5M2 tensor" "one tensor's dtype set to F8_E5M2 (same bytes)" "$results" "" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-f8"
m=$T/models/checked; rm -rf "$m"; cp -r data/base "$m"; sed -i 's/"hidden_dropout_prob": 0.1/"hidden_dropout_prob": 0.2/' "$m/config.json"
refusal "model: file changed under SHA256SUMS" "shipped base's config.json edited" "$results" "" "$workbench" "${finetune[@]}" --model "$m" --out "$results/run-sums"
refusal "unknown method" "--method r5f" "$results" "" "$workbench" --threads 1 finetune --task fine-foods --method r5f --out "$results/run-method"
refusal "unknown config key" "--set learning_rat=1" "$results" "" "$workbench" "${finetune[@]}" --set learning_rat=1 --out "$results/run-key"

glue=$T/glue; mkdir -p "$glue/RTE"; cp Tests/Data/Fixtures/glue/RTE/*.tsv "$glue/RTE/"
refusal "GLUE folder with only RTE" "tasks --data-dir (RTE/ only)" "$results" "" "$workbench" tasks --data-dir "$glue"
printf '2\tonly one sentence\tnot_entailment\n' >>"$glue/RTE/train.tsv"
refusal "GLUE: broken line" "a 3-column line in RTE/train.tsv; finetune --task rte" "$results" "" "$workbench" --threads 1 finetune --task rte --data-dir "$glue" --set batch_size=2 --out "$results/run-glue"
refusal "GLUE: broken line, listing" "the same, tasks --data-dir" "$results" "" "$workbench" tasks --data-dir "$glue"

echo "a file" >"$T/blocker"
refusal "results path under a regular file" "--out \$T/blocker/run" "$results" "" "$workbench" "${finetune[@]}" --out "$T/blocker/run"
refusal "--out is a regular file" "--out \$T/blocker" "$results" "" "$workbench" "${finetune[@]}" --out "$T/blocker"

mkdir -p "$T/locked"; chmod 755 "$T/locked"; chmod o+rx "$T" 2>/dev/null
before=$(snap "$T/locked")
setpriv --reuid=65534 --regid=65534 --clear-groups -- "$workbench" "${finetune[@]}" --out "$T/locked/run" >/dev/null 2>"$T/stderr"; code=$?
[ "$(snap "$T/locked")" = "$before" ] && [ ! -e "$T/locked/run" ] && lost="nothing: no folder left behind" || lost="CHANGED"
"$workbench" "${finetune[@]}" --out "$T/locked/run" >/dev/null 2>&1 && lost="$lost; with permission (as root) the same command ran: $(same_as_reference "$T/locked/run")"
row "permission denied" "results folder owned by root, command run as nobody" "$(short <"$T/stderr")" "$code" "$lost"

mkdir -p "$T/ro"
unshare -m bash -c "mount --bind '$T/ro' '$T/ro' && mount -o remount,ro,bind '$T/ro' && '$workbench' ${finetune[*]} --out '$T/ro/run'" >/dev/null 2>"$T/stderr"; code=$?
[ -z "$(ls -A "$T/ro")" ] && lost="nothing: nothing written" || lost="CHANGED"
"$workbench" "${finetune[@]}" --out "$T/ro/run" >/dev/null 2>&1 && lost="$lost; writable again, the same command ran: $(same_as_reference "$T/ro/run")"
row "read-only file system" "results folder bind-mounted read-only" "$(short <"$T/stderr")" "$code" "$lost"

# A 30 MB file system: the first checkpoint (about 20 MB with the optimizer's moments) fits, the second does not.
mkdir -p "$T/full"
unshare -m bash -c "
  mount -t tmpfs -o size=30m tmpfs '$T/full'
  '$workbench' ${finetune[*]} --out '$T/full/run' >/dev/null 2>'$T/stderr'; echo \$? >'$T/code'
  ls -R '$T/full/run' >'$T/full-left'
  mount -o remount,size=300m '$T/full'
  '$workbench' ${finetune[*]} --out '$T/full/run' >/dev/null 2>&1; echo \$? >'$T/code2'
  cp -r '$T/full/run' '$T/full-run'"
leftovers=$(grep -c 'tmp-' "$T/full-left")
row "disk full" "results on a 30 MB tmpfs, mid-run (second checkpoint); then the file system grown and the same command rerun" "$(short <"$T/stderr")" "$(cat "$T/code")" \
  "$leftovers temporary files left; rerun exit $(cat "$T/code2"): $(same_as_reference "$T/full-run")"

dir=$T/killed; "$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>&1 & pid=$!
while [ ! -d "$dir/checkpoints" ]; do sleep 0.05; done; sleep 0.3; kill -9 $pid; wait $pid 2>/dev/null; code=$?
"$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>&1
row "kill -9 mid-run" "SIGKILL after the first checkpoint; same command rerun" "(none: killed)" "$code" "$(same_as_reference "$dir")"

dir=$T/flipped; cp -r "$T/reference" "$dir"; rm "$dir/DONE"
newest=$(ls -d "$dir"/checkpoints/step-* | tail -1)
python3 -c "import sys; p = sys.argv[1]; d = bytearray(open(p, 'rb').read()); d[len(d) // 2] ^= 0x10; open(p, 'wb').write(d)" "$newest/optimizer.safetensors"
"$workbench" "${finetune[@]}" --out "$dir" >"$T/stdout" 2>&1; code=$?
row "flipped byte in the newest checkpoint" "one bit of the newest checkpoint's optimizer.safetensors, DONE removed; same command" "$(grep -m1 damaged "$T/stdout" | short) (a notice; the run goes on)" "$code" "$(same_as_reference "$dir")"

dir=$T/all-damaged; cp -r "$T/reference" "$dir"; rm "$dir/DONE"
for s in "$dir"/checkpoints/step-*; do printf 'x' >>"$s/optimizer.safetensors"; done
before=$(snap "$dir")
"$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>"$T/stderr"; code=$?
rm -rf "$dir/checkpoints"; "$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>&1
row "every checkpoint damaged" "a byte appended to each checkpoint's optimizer.safetensors, DONE removed" "$(short <"$T/stderr")" "$code" "after deleting the folder it names: $(same_as_reference "$dir")"

dir=$T/leftovers; "$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>&1 & pid=$!
while [ ! -d "$dir/checkpoints" ]; do sleep 0.05; done; sleep 0.2; kill -9 $pid; wait $pid 2>/dev/null
mkdir -p "$dir/checkpoints/step-00000099.tmp-4242"; head -c 1000 data/base/model.safetensors >"$dir/checkpoints/step-00000099.tmp-4242/model.safetensors"
mkdir -p "$dir/checkpoints/step-00000000.tmp-4242-old"; echo '{' >"$dir/checkpoints/step-00000000.tmp-4242-old/state.json"
printf 'step,lo' >"$dir/train_log.csv.tmp-4242"; mkdir -p "$dir/checkpoint.old"
"$workbench" "${finetune[@]}" --out "$dir" >/dev/null 2>"$T/stderr"; code=$?
row "leftovers of a kill during a save or a delete" "partial step-…tmp-4242 and …tmp-4242-old folders, a partial train_log.csv.tmp-4242, an old-style checkpoint.old/" "$(short <"$T/stderr")" "$code" "$(same_as_reference "$dir")"

dir=$T/concurrent; "$workbench" "${finetune[@]}" --set max_steps=200 --out "$dir" >/dev/null 2>&1 & pid=$!
while [ ! -f "$dir/.lock" ]; do sleep 0.05; done
refusal "second writer on a run folder" "the same command started while the first trains" "$T/none" "" "$workbench" "${finetune[@]}" --set max_steps=200 --out "$dir"
kill -9 $pid; wait $pid 2>/dev/null

m=$(model_copy other); edit_header "$m/model.safetensors" none
refusal "finished run, another model" "--model (a copy of the base with its header rewritten: same tensors, other bytes) on the reference's folder" "$T/reference" "" "$workbench" "${finetune[@]}" --model "$m" --out "$T/reference"
refusal "finished run, another config" "--set learning_rate=0.001 on the reference's folder" "$T/reference" "" "$workbench" "${finetune[@]}" --set learning_rate=0.001 --out "$T/reference"
refusal "finished run, same command" "the reference's command again" "$T/reference" "" "$workbench" "${finetune[@]}" --out "$T/reference"
"$workbench" "${finetune[@]}" --set learning_rate=1e30 --out "$T/diverged" >/dev/null 2>"$T/stderr"; code=$?
row "training diverges" "--set learning_rate=1e30" "$(short <"$T/stderr")" "$code" "nothing: the run folder keeps its config, manifest and the checkpoint it names (if any)"

echo "table: $table"
