#!/usr/bin/env bash
# kill -9 trials: runs each scenario once uninterrupted, then N times killed with SIGKILL at a random
# moment and resumed with the same command at once, and compares every result file with the
# uninterrupted run: weights (*.safetensors) bit for bit, CSV and JSON files byte for byte once the
# wall-clock columns and keys (*seconds*) are dropped, TensorBoard event files record for record
# without their wall times. Manifests, logs, DONE markers and the
# study's own study.json record times and processes: their presence is compared, not their content.
#
#   scripts/kill-trials.sh [--trials 10] [--out /tmp/kill-trials] [--seed 1] [scenario ...]
#
# Scenarios: finetune-r4f finetune-smart finetune-sda finetune-sdv pretrain study (default: all).
# Writes <out>/trials.csv (scenario, trial, kill after ms, state at the kill, result) and prints a
# summary line per scenario. A trial whose run had finished before the kill came is recorded and
# replaced by another, so each scenario gets N kills. Needs a Release build (built if missing) and the shipped base.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
trials=10 out=/tmp/kill-trials seed=1 scenarios=()
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
[ ${#scenarios[@]} -eq 0 ] && scenarios=(finetune-r4f finetune-smart finetune-sda finetune-sdv pretrain study)
RANDOM=$seed
workbench=$root/Workbench/bin/Release/net10.0/linux-x64/workbench
[ -x "$workbench" ] || dotnet build Workbench -c Release >/dev/null || exit 1
mkdir -p "$out"
spec=$out/study-spec.json
cat >"$spec" <<'EOF'
{ "name": "kill-trials", "description": "four short fine-tunes for the kill -9 trials",
  "runs": [ { "command": "finetune", "grid": { "method": ["r4f", "sda"], "seed": [1, 2] },
              "options": { "task": "fine-foods" },
              "set": { "max_steps": 12, "max_length": 32, "checkpoint_every": 3, "eval_every": 6 } } ] }
EOF

# The command line of a scenario writing into $1.
command_of() {
  local scenario=$1 dir=$2
  case "$scenario" in
    finetune-*) echo "$workbench --threads 1 finetune --task fine-foods --method ${scenario#finetune-} --seed 1 --set max_steps=16 --set max_length=32 --set checkpoint_every=2 --set eval_every=5 --out $dir" ;;
    pretrain) echo "$workbench --threads 1 pretrain --preset tiny --set steps=120 --set checkpoint_every=10 --out $dir" ;;
    study) echo "$workbench --threads 2 run $spec --jobs 2 --out $dir" ;;
  esac
}

# Compared files of a result folder, relative, sorted.
compared_files() {
  (cd "$1" && find . -type f ! -name manifest.json ! -name '*.log' ! -name study.json ! -name SHA256SUMS ! -name .lock \
      ! -path '*/.superseded/*' | sort)
}

# A file as compared: CSV without *seconds* columns, JSON without *seconds* keys, TensorBoard events
# record by record with the wall time (the Event's first field, a fixed64) zeroed, anything else as it is.
normalized() {
  case "$1" in
    *tfevents*) perl -e 'open(my $f, "<:raw", $ARGV[0]) or die; while (read($f, my $n, 8) == 8) { read($f, my $c, 4);
                  read($f, my $d, unpack("Q<", $n)); read($f, $c, 4); substr($d, 1, 8) = "\0" x 8 if substr($d, 0, 1) eq "\x09";
                  print unpack("H*", $d), "\n" }' "$1" ;;
    *.csv) awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = (tolower($i) ~ /seconds/) }
                    { line = ""; for (i = 1; i <= NF; i++) if (!drop[i]) line = line (line == "" ? "" : ",") $i; print line }' "$1" ;;
    *.json) grep -v -i -E '"[a-z_]*seconds"' "$1" ;;
    *) cat "$1" ;;
  esac
}

# Prints nothing if the trial folder equals the reference, else the first differences.
differences() {
  local reference=$1 trial=$2
  diff <(compared_files "$reference") <(compared_files "$trial") | head -5
  while read -r file; do
    [ -f "$trial/$file" ] || continue
    if [[ "$file" == */DONE ]]; then continue   # holds the time it was written
    elif [[ "$file" == *.safetensors ]]; then cmp -s "$reference/$file" "$trial/$file" || echo "differs: $file"
    else cmp -s <(normalized "$reference/$file") <(normalized "$trial/$file") || echo "differs: $file"; fi
  done < <(compared_files "$reference") | head -5
}

now_ms() { date +%s%3N; }

echo "scenario,trial,kill_after_ms,state_at_kill,resume_exit,result" >"$out/trials.csv"
for scenario in "${scenarios[@]}"; do
  reference=$out/$scenario/reference
  rm -rf "$out/$scenario"; mkdir -p "$out/$scenario"
  start=$(now_ms)
  $(command_of "$scenario" "$reference") >"$out/$scenario/reference.log" 2>&1 || { echo "$scenario: the uninterrupted run failed (see $out/$scenario/reference.log)"; continue; }
  duration=$(( $(now_ms) - start ))
  identical=0 killed=0 attempts=0
  # Trials whose run had already finished when the kill came (load varies) are recorded but not counted.
  while [ $killed -lt "$trials" ] && [ $attempts -lt $((trials * 3)) ]; do
    attempts=$((attempts + 1))
    dir=$out/$scenario/trial-$attempts
    # A moment between 5 % and 90 % of the uninterrupted run's duration.
    delay=$(( duration * (5 + RANDOM % 86) / 100 ))
    $(command_of "$scenario" "$dir") >"$dir.log" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -0 $pid 2>/dev/null; then kill -9 $pid; state=killed; killed=$((killed + 1)); else state=finished-before-kill; fi
    wait $pid 2>/dev/null
    # Resumed at once, with no delay: the same command.
    $(command_of "$scenario" "$dir") >>"$dir.log" 2>&1
    code=$?
    found=$(differences "$reference" "$dir")
    if [ $code -eq 0 ] && [ -z "$found" ]; then result=identical; [ $state = killed ] && identical=$((identical + 1)); else result="DIFFERENT: $(echo "$found" | tr '\n' ' ')"; fi
    echo "$scenario,$attempts,$delay,$state,$code,$result" >>"$out/trials.csv"
  done
  echo "$scenario: $identical of $killed killed-and-resumed runs identical to the uninterrupted one (uninterrupted run: $((duration / 1000)) s)"
done
echo "details: $out/trials.csv"
