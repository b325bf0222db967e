#!/usr/bin/env bash
# Road's build entry point: checks the SDK against global.json, builds the build project, runs it with the arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
required=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$root/global.json")
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK $required (global.json) is required and dotnet is not on PATH." >&2; exit 1
fi
if ! (cd "$root" && dotnet --version >/dev/null 2>&1); then
  echo "build.sh: no installed .NET SDK satisfies global.json ($required, rollForward latestFeature); installed: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' ')" >&2; exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Release: targets that run in the build process (benchmarks, evaluation) run the Release build, as experiments do.
if ! dotnet build "$root/build/_build.csproj" -c Release -nologo -v quiet -clp:NoSummary >"$log" 2>&1; then
  cat "$log" >&2; echo "build.sh: the build project did not compile." >&2; exit 1
fi
dotnet "$root/build/bin/Release/net10.0/_build.dll" "$@"
