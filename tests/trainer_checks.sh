# Shared by the trainer's ctest scripts (sourced after they set $trainer and $work).

# The validation accuracy a train_mnist log reports, without the % sign.
accuracy() { sed -n 's/^validation accuracy: \([0-9.]*\)%$/\1/p' "$1"; }

# Runs the trainer with the given options and checks it is a usage error: exit 2 before any work,
# one "train_mnist:" prefix, and the expected reason.   usage_error <expected text> <options...>
usage_error() {
  local want=$1
  shift
  set +e
  "$trainer" "$@" >/dev/null 2>"$work/err"
  local code=$?
  set -e
  [ $code = 2 ] || { echo "FAIL: '$*' exited with $code, expected 2"; cat "$work/err"; exit 1; }
  grep -qF -- "$want" "$work/err" || { echo "FAIL: '$*' did not say '$want':"; cat "$work/err"; exit 1; }
  if grep -q "train_mnist: train_mnist:" "$work/err"; then echo "FAIL: '$*': doubled prefix"; exit 1; fi
}
