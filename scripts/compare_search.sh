#!/usr/bin/env bash
# Bayesian against random search on the course's setting (784-100×6-10 ReLU, He,
# SGD, batch 100, 50 epochs, the first 500 training images with 20% validation,
# lr in 1e-6..1e-2 and weight decay in 1e-8..1e-4, both log): for each seed, the
# best validation accuracy of 100 random trials, and the trial at which Bayesian
# search first reaches it (101: not within 100 trials). Prints the medians.
#
#   scripts/compare_search.sh [NNLAB_BINARY] [OUT_FOLDER] [SEEDS]
# Interrupted runs resume (each search keeps its trials.jsonl).
set -euo pipefail
nnlab=${1:-build/nnlab}
out=${2:-runs/compare_search}
seeds=${3:-5}
space="lr=1e-6..1e-2:log,weight_decay=1e-8..1e-4:log"
course="--hidden 100,100,100,100,100,100 --optimizer sgd --schedule constant --batch-size 100 --epochs 50 --train-size 500 --val-split 0.2"
# The trials' records, read with Debian's python3 (no jq needed).
best_score() { python3 -c 'import json, sys; print(max((t["score"] or 0) for t in json.load(open(sys.argv[1]))))' "$1"; }
first_reach() {
  python3 -c 'import json, sys
best = float(sys.argv[2])
hits = [t["trial"] for t in json.load(open(sys.argv[1])) if (t["score"] or 0) >= best]
print((min(hits) if hits else 100) + 1)' "$1" "$2"
}
bayes_trials=()
random_trials=()
printf "%-5s %-22s %-26s %-24s\n" seed "random best val acc" "random reaches it at trial" "bayes reaches it at trial"
for ((seed = 0; seed < seeds; seed++)); do
  search() {
    "$nnlab" search --space "$space" --trials 100 --seed "$seed" --workers 2 --threads 2 $course \
      --out "$out/$1-$seed" --strategy "$@" >/dev/null 2>"$out-$1-$seed.log" || { cat "$out-$1-$seed.log" >&2; exit 1; }
  }
  search random
  best=$(best_score "$out/random-$seed/trials.json")
  # Bayesian search stops starting trials once it reaches random search's best.
  search bayes --target "$best"
  random_at=$(first_reach "$out/random-$seed/trials.json" "$best")
  bayes_at=$(first_reach "$out/bayes-$seed/trials.json" "$best")
  random_trials+=("$random_at")
  bayes_trials+=("$bayes_at")
  printf "%-5s %-22s %-26s %-24s\n" "$seed" "$best" "$random_at" "$bayes_at"
done
median() { printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median trials to reach the best of 100 random trials: random $(median "${random_trials[@]}"), bayes $(median "${bayes_trials[@]}")"
