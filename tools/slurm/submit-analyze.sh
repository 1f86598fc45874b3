#!/usr/bin/env bash
# Submits a sharded `attnx analyze` to Slurm: a job array of N shards, then the merge job that
# runs once every shard succeeded (--dependency=afterok). Prints the two job ids.
#   tools/slurm/submit-analyze.sh N OUT [SBATCH_OPTION...] -- ANALYZE_ARGS...
# e.g. tools/slurm/submit-analyze.sh 8 runs/squad --partition=gpu --gres=gpu:1 -- \
#        --model /models/llama --examples eval.jsonl --soft-tokens prefixes.safetensors
# OUT/stats.json, OUT/summary.csv: the merged run; OUT/shard-K: each shard; OUT/logs: the jobs'
# output. Set ATTNX_CLI to the attnx-cli to use (default: attnx-cli on PATH).
# The merge reads the shards' statistics and runs no model: it gets the SBATCH_OPTIONs without
# their GPU requests (--gres, --gpus*, -G, --cpus-per-gpu, --mem-per-gpu), so that it never waits
# for, or holds, a GPU. ATTNX_MERGE_SBATCH_OPTIONS (split on spaces) replaces them for the merge.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 3 ]; then
  echo "usage: submit-analyze.sh N OUT [SBATCH_OPTION...] -- ANALYZE_ARGS..." >&2
  exit 2
fi
n=$1
out=$2
shift 2
case "$n" in '' | *[!0-9]* | 0) echo "submit-analyze.sh: N must be 1 or more, not '$n'" >&2; exit 2 ;; esac
sbatch_opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sbatch_opts+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
# The merge's options: the shards' without GPU requests (an option and its value in one word
# or two), unless given.
merge_opts=()
if [ -n "${ATTNX_MERGE_SBATCH_OPTIONS+set}" ]; then
  read -r -a merge_opts <<<"$ATTNX_MERGE_SBATCH_OPTIONS"
else
  skip_value=0
  for o in "${sbatch_opts[@]}"; do
    if [ "$skip_value" -eq 1 ]; then skip_value=0; continue; fi
    case "$o" in
      --gres=* | --gpus=* | --gpus-per-*=* | --cpus-per-gpu=* | --mem-per-gpu=* | -G?*) ;;
      --gres | --gpus | --gpus-per-* | --cpus-per-gpu | --mem-per-gpu | -G) skip_value=1 ;;
      *) merge_opts+=("$o") ;;
    esac
  done
fi
mkdir -p "$out/logs"
array=$(sbatch --parsable --array="1-$n" --output="$out/logs/shard-%a.out" "${sbatch_opts[@]}" \
  "$here/attnx-analyze.sbatch" "$out" "$n" "$@")
array=${array%%;*}
# A failed shard cancels the merge (instead of leaving it pending for ever).
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --job-name=attnx-merge \
  --output="$out/logs/merge.out" "${merge_opts[@]}" "$here/attnx-analyze.sbatch" "$out" --merge "$n")
merge=${merge%%;*}
echo "$array $merge"
