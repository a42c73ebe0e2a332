# Shared set-up of the peer comparisons (sourced, not run): checks the peer script, installs the Debian Python
# module it needs if missing, builds the CLI, and sets $initlab and a temporary $out removed on exit.
# Usage: source common.sh PEER_SCRIPT PYTHON_MODULE DEBIAN_PACKAGES...
prepare_peer() {
  local script=$1 module=$2
  shift 2
  [ -f "$script" ] || { echo "peer script not found at $script (set PEER=...)"; exit 2; }
  if ! /usr/bin/python3 -c "import $module" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
  fi
  dotnet build src/InitLab.Cli -c Release -v quiet -nologo >/dev/null
  initlab="dotnet src/InitLab.Cli/bin/Release/net10.0/InitLab.Cli.dll"
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
}
