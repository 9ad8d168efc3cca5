#!/usr/bin/env bash
# Submits a sharded scrubtext run to Slurm: an array of N tasks (scrubtext-shard.sbatch), then
# a merge job (merge.py) that starts when the array has ended, whatever its outcome.
#
#   submit.sh [options] INPUT OUT [-- scrubtext options...]
#
# INPUT is a crawl directory or @LISTFILE (one input, e.g. a WARC file, per line). OUT is the
# shared output tree. Run it again with the same arguments after a failure: only the shards
# that did not finish are submitted, and they skip every page already written.
#
# Options:
#   -n N            shards (array tasks), default 16
#   -c CPUS         cores per task (scrubtext -j), default 4
#   -p PARTITION    partition for both jobs
#   -t TIME         time limit of one array task (sbatch --time)
#   -b SCRUBTEXT    the scrubtext binary, default: scrubtext on PATH
#   -T MAX          at most MAX tasks running at once (--array=...%MAX)
#   -a              submit every shard, finished or not
#   -M              no merge job
#   -S 'OPTS'       more sbatch options for both jobs (word-split), e.g. -S '--account=x --qos=y'
#
# Prints the array's and the merge's job ids. Exit status: 0 submitted, 2 usage error or a
# resubmission with other arguments than the first submission, else sbatch's status.
set -euo pipefail

usage() {
  sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=16 cpus=4 partition='' time_limit='' bin=scrubtext throttle='' all=0 merge=1 extra=''
while getopts ":n:c:p:t:b:T:aMS:h" opt; do
  case $opt in
    n) n=$OPTARG ;;
    c) cpus=$OPTARG ;;
    p) partition=$OPTARG ;;
    t) time_limit=$OPTARG ;;
    b) bin=$OPTARG ;;
    T) throttle=$OPTARG ;;
    a) all=1 ;;
    M) merge=0 ;;
    S) extra=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 2)) || usage
input=$1 out=$2
shift 2
if (($#)); then
  [[ $1 == -- ]] || usage
  shift
fi
[[ $n =~ ^[1-9][0-9]*$ && $cpus =~ ^[1-9][0-9]*$ ]] || usage

if ! resolved=$(command -v "$bin"); then
  echo "submit: $bin: not found" >&2
  exit 2
fi
bin=$(realpath "$resolved")
if [[ $input == @* ]]; then
  [[ -r ${input#@} ]] || { echo "submit: cannot read the list ${input#@}" >&2; exit 2; }
elif [[ ! -d $input ]]; then
  echo "submit: $input is neither a directory nor @LISTFILE" >&2
  exit 2
fi
mkdir -p "$out/logs"

# The arguments every job gets; a resubmission must use the same, or shards would not line up.
args=("$bin" "$input" "$out" "$n" "$@")
recipe=$out/recipe.args
if [[ -e $recipe ]]; then
  if ! cmp -s "$recipe" <(printf '%s\0' "${args[@]}"); then
    echo "submit: $out was started with other arguments:" >&2
    tr '\0' ' ' <"$recipe" >&2
    echo >&2
    exit 2
  fi
else
  printf '%s\0' "${args[@]}" >"$recipe"
fi

# Shards left to do.
todo=()
if ((all)); then
  mapfile -t todo < <(seq 0 $((n - 1)))
elif [[ $input == @* ]]; then
  declare -A need=()
  i=0
  while IFS= read -r entry || [[ -n $entry ]]; do
    base=$(printf '%s/inputs/%08d' "$out" "$i")
    [[ -e $base.jsonl && -e $base.errors.tsv ]] || need[$((i % n))]=1
    i=$((i + 1))
  done <"${input#@}"
  ((${#need[@]})) && mapfile -t todo < <(printf '%s\n' "${!need[@]}" | sort -n)
else
  for ((k = 0; k < n; k++)); do
    [[ -e $out/shards/$k.errors.tsv ]] || todo+=("$k")
  done
fi

common=()
[[ -n $partition ]] && common+=(--partition="$partition")
# shellcheck disable=SC2206
[[ -n $extra ]] && common+=($extra)

dependency=()
if ((${#todo[@]})); then
  spec=$(IFS=,; echo "${todo[*]}")
  [[ -n $throttle ]] && spec+="%$throttle"
  array_opts=(--parsable --array="$spec" --cpus-per-task="$cpus" --output="$out/logs/shard-%A_%a.out")
  [[ -n $time_limit ]] && array_opts+=(--time="$time_limit")
  array_id=$(sbatch "${array_opts[@]}" "${common[@]}" "$here/scrubtext-shard.sbatch" "${args[@]}")
  array_id=${array_id%%;*}
  echo "submit: array job $array_id: shards ${spec} of $n" >&2
  echo "array $array_id"
  dependency=(--dependency="afterany:$array_id")
else
  echo "submit: every shard has finished" >&2
fi
if ((merge)); then
  merge_id=$(sbatch --parsable "${dependency[@]}" --cpus-per-task=1 --output="$out/logs/merge-%j.out" \
    "${common[@]}" "$here/merge.py" "${args[@]}")
  merge_id=${merge_id%%;*}
  echo "submit: merge job $merge_id writes $out/pages.jsonl and $out/errors.tsv" >&2
  echo "merge $merge_id"
fi
