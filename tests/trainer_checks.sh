# Shared by the trainer's ctest scripts and example_options_test.sh (sourced after they set $work;
# exits_with runs $trainer).

# The validation accuracy a train_mnist log reports, without the % sign.
accuracy() { sed -n 's/^validation accuracy: \([0-9.]*\)%$/\1/p' "$1"; }

# Runs the trainer with the given options and checks its exit code and that it names the reason.
#   exits_with <code> <expected text in the message> <options...>
exits_with() {
  local expected=$1 want=$2
  shift 2
  set +e
  "$trainer" "$@" >/dev/null 2>"$work/err"
  local code=$?
  set -e
  [ $code = "$expected" ] || { echo "FAIL: '$*' exited with $code, expected $expected"; cat "$work/err"; exit 1; }
  grep -qF -- "$want" "$work/err" || { echo "FAIL: '$*' did not say '$want':"; cat "$work/err"; exit 1; }
}

# A usage error: exit 2 before any work, with one "train_mnist:" prefix and the expected reason.
#   usage_error <expected text in the message> <options...>
usage_error() {
  exits_with 2 "$@"
  if grep -q "train_mnist: train_mnist:" "$work/err"; then echo "FAIL: '${*:2}': doubled prefix"; exit 1; fi
}
