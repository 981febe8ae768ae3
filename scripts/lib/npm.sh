# Shared by the scripts of scripts/setup.d that install npm packages.
# Source it, then call ensure_npm: it installs Debian's nodejs and npm
# when npm is missing (as root, asking nothing).
ensure_npm() {
	if ! command -v npm >/dev/null 2>&1; then
		echo "$1: npm not found; installing Debian's nodejs and npm"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq nodejs npm
	fi
}
