# Shared by the scripts of scripts/check.d that keep generated files
# current. Source it, then call:
#
#   check_generated NAME "GENERATE COMMAND" PATH...
#
# It runs the command from the repository root, then fails when the
# PATHs differ from what is committed or hold files not committed.
check_generated() {
	local name=$1 generate=$2
	shift 2
	eval "$generate"
	if ! git diff --exit-code --stat -- "$@"; then
		echo "$name: generated files are stale: run '$generate' and commit them" >&2
		return 1
	fi
	local untracked
	untracked=$(git ls-files --others --exclude-standard -- "$@")
	if [ -n "$untracked" ]; then
		echo "$name: generated files not committed: $untracked" >&2
		return 1
	fi
	echo "$name: generated files are current"
}
