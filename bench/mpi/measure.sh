#!/usr/bin/env bash
# Training speed of N ranks × T threads for docs/scaling.md, best of 3 short runs (run it from a scratch folder):
#   bash bench/mpi/measure.sh simple-cnn 3000 2 1 100 1
# usage: measure.sh MODEL SAMPLES RANKS THREADS BATCH EPOCHS: best of 3 (samples/s of training, rank 0's allreduce share)
N=${NNLAB:-$(dirname "$0")/../../build/nnlab}
pre=""; [ $3 -gt 1 ] && pre="mpirun --oversubscribe -np $3"
best=0; comm=""
for i in 1 2 3; do
  $pre $N train --model "$1" --train-size $2 --val-split 0 --epochs $6 --batch-size $5 --optimizer sgd --augment none --threads $4 --progress quiet --out r$3 --overwrite >/dev/null 2>err.txt
  s=$(/usr/bin/python3 -c "import json;h=json.load(open('r$3/history.json'));print(h['epochs'][-1]['seconds'])")
  rate=$(/usr/bin/python3 -c "print($2*$6/$s)")
  if /usr/bin/python3 -c "import sys; sys.exit(0 if $rate > $best else 1)"; then best=$rate; comm=$(grep -o "([0-9]*%)" err.txt); fi
done
echo "$1 | ${3}x$4 | batch $5 | $(printf %.0f $best) samples/s | allreduce $comm"
