#!/usr/bin/env bash
# Pack-install-run check for the NuGet packages (issue 14 §1). From a copy of the sources (so a test run that is using
# bin/ and obj/ is never disturbed), packs the library packages InitLab.Engine, InitLab.IO and InitLab (InitLab brings
# the other two as package dependencies) and the tool InitLab.Cli with a unique pre-release version into a temporary
# folder. The tool is .NET 10 RID-specific packages: a pointer package InitLab.Cli that lists one InitLab.Cli.<rid> per
# entry of ToolPackageRuntimeIdentifiers in InitLab.Cli.csproj; checks every package's size (<= 40 MB), that each RID
# package holds that platform's native libraries and no other's, and the pointer's list; installs the tool from the
# folder with `dotnet tool install --tool-path` (which must pick this machine's RID package), runs `initlab --version`
# and `initlab practicals --quick`, then builds and runs a console project that references the InitLab *package* and
# trains moons with he_normal. NuGet uses a private package cache and a nuget.config that lists only that folder and
# nuget.org, so no stale InitLab package can be picked up. Each step prints the seconds since the start. Ends with
# "package test passed" or exits 1.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
version="0.1.0-pkgtest.$(date +%s)"
fail() { echo "package test FAILED: $*" >&2; exit 1; }
step() { echo "==> [${SECONDS} s] $*"; }

mkdir -p "$work/src" "$work/feed" "$work/tools"
(cd "$repo" && tar -c --exclude=bin --exclude=obj src data fonts docs LICENSE Directory.Build.props Directory.Packages.props) \
  | tar -x -C "$work/src"

# The library packages in dependency order, then the tool. InitLab.Sweeps is packable too, but nothing a package user
# restores depends on it: the tool carries InitLab.Sweeps.dll inside, as it carries every dependency.
libraries=(InitLab.Engine InitLab.IO InitLab)
step "pack ${libraries[*]} and InitLab.Cli $version"
for project in "${libraries[@]}" InitLab.Cli; do
  dotnet pack "$work/src/src/$project" -c Release -o "$work/feed" -p:Version="$version" -p:ContinuousIntegrationBuild=true \
    -nologo -v quiet 2>&1 | grep -vE '^\s*$' | tail -n 5 || true
done
step "check the packages"
cli_project="$work/src/src/InitLab.Cli/InitLab.Cli.csproj"
rid_lists="$(dotnet msbuild "$cli_project" -getProperty:ToolPackageRuntimeIdentifiers -getProperty:ToolShippedRuntimeIdentifiers)"
rid_list() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" <<< "$rid_lists" | tr ';' ' '; }
tool_rids="$(rid_list ToolPackageRuntimeIdentifiers)"
shipped="$(rid_list ToolShippedRuntimeIdentifiers)"
[ -n "$tool_rids" ] && [ -n "$shipped" ] || fail "could not read the RID lists from InitLab.Cli.csproj"
for rid in $shipped; do [[ " $tool_rids " == *" $rid "* ]] || fail "ToolPackageRuntimeIdentifiers lacks $rid"; done

# The tool is one pointer package (no assembly, so no .snupkg) and one package, with symbols, per RID.
expected=("InitLab.Cli.$version.nupkg")
for id in "${libraries[@]}"; do expected+=("$id.$version.nupkg" "$id.$version.snupkg"); done
for rid in $tool_rids; do expected+=("InitLab.Cli.$rid.$version.nupkg" "InitLab.Cli.$rid.$version.snupkg"); done
for f in "${expected[@]}"; do [ -f "$work/feed/$f" ] || fail "dotnet pack did not produce $f"; done
unexpected="$(cd "$work/feed" && ls | grep -vxF -f <(printf '%s\n' "${expected[@]}") || true)"
[ -z "$unexpected" ] || fail "dotnet pack produced packages not expected: $unexpected"
tool_ids=(InitLab.Cli)
for rid in $tool_rids; do tool_ids+=("InitLab.Cli.$rid"); done

# Every package carries the code licence and the data licence (Packaging.props); the tool's packages also the fonts'
# licence and the README (docs/tool-readme.md), and each RID package the fonts beside the assemblies.
entries=()
for id in "${tool_ids[@]}"; do
  entries+=("$id.$version.nupkg:LICENSE" "$id.$version.nupkg:LICENSE-data.txt" "$id.$version.nupkg:LICENSE-DejaVu.txt"
            "$id.$version.nupkg:README.md")
done
for rid in $tool_rids; do entries+=("InitLab.Cli.$rid.$version.nupkg:tools/net10.0/$rid/fonts/LICENSE-DejaVu.txt"); done
for id in "${libraries[@]}"; do
  entries+=("$id.$version.nupkg:LICENSE" "$id.$version.nupkg:LICENSE-data.txt" "$id.$version.nupkg:README.md"
            "$id.$version.nupkg:lib/net10.0/$id.xml")
done
for entry in "${entries[@]}"; do
  listing="$(unzip -l "$work/feed/${entry%%:*}")"   # captured first: grep -q would close the pipe early
  grep -qE " ${entry#*:}\$" <<< "$listing" || fail "${entry%%:*} lacks ${entry#*:}"
done
# No public repository exists yet: no package may name a project or repository URL (Packaging.props).
for id in "${libraries[@]}" "${tool_ids[@]}"; do
  nuspec="$(unzip -p "$work/feed/$id.$version.nupkg" "$id.nuspec")"
  ! grep -qE '<projectUrl>|<repository [^>]*url=' <<< "$nuspec" || fail "$id.nuspec names a project or repository URL"
done

# The tool's packages. The issue asks for <= 40 MB; one package for all seven platforms was 45.3 MB (their natives
# alone deflate to 40.4 MB), so each platform has its own package and every one of them must fit.
max_package_bytes=40000000
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
# The platform a native library is built for, read from its header: ELF e_machine, PE machine, Mach-O CPU type(s)
# (SkiaSharp's and HarfBuzzSharp's macOS libraries are universal: both). musl and glibc ELF files look alike here.
native_platforms() {
  local f="$1" magic offset cpu count i
  magic="$(od -An -tx1 -N4 "$f" | tr -d ' \n')"
  case "$magic" in
    7f454c46) case "$(od -An -tu2 -j18 -N2 --endian=little "$f" | tr -d ' ')" in 62) echo linux-x64;; 183) echo linux-arm64;; esac;;
    4d5a*) offset="$(od -An -tu4 -j60 -N4 --endian=little "$f" | tr -d ' ')"
           case "$(od -An -tx2 -j$((offset + 4)) -N2 --endian=little "$f" | tr -d ' ')" in 8664) echo win-x64;; aa64) echo win-arm64;; esac;;
    cffaedfe|cafebabe)
      if [ "$magic" = cafebabe ]; then count="$(od -An -tu4 -j4 -N4 --endian=big "$f" | tr -d ' ')"; else count=1; fi
      for ((i = 0; i < count; i++)); do
        if [ "$magic" = cafebabe ]; then cpu="$(od -An -tx4 -j$((8 + 20 * i)) -N4 --endian=big "$f" | tr -d ' ')"
        else cpu="$(od -An -tx4 -j4 -N4 --endian=little "$f" | tr -d ' ')"; fi
        case "$cpu" in 01000007) echo osx-x64;; 0100000c) echo osx-arm64;; esac
      done;;
  esac
}
natives_re='(libSkiaSharp|libHarfBuzzSharp|libe_sqlite3|e_sqlite3)\.(so|dylib|dll)$'

# The pointer: no implementation, its DotnetToolSettings.xml lists exactly ToolPackageRuntimeIdentifiers.
pointer="$work/feed/InitLab.Cli.$version.nupkg"
pointer_bytes="$(stat -c %s "$pointer")"
echo "tool pointer InitLab.Cli: $pointer_bytes bytes"
[ "$pointer_bytes" -le "$max_package_bytes" ] || fail "InitLab.Cli is $pointer_bytes bytes, over $max_package_bytes"
! unzip -l "$pointer" | grep -qE ' tools/net10\.0/' || fail "the pointer package InitLab.Cli holds the tool itself"
grep -q '<packageType name="DotnetTool"' <<< "$(unzip -p "$pointer" InitLab.Cli.nuspec)" || fail "InitLab.Cli is not a DotnetTool package"
settings="$(unzip -p "$pointer" tools/any/any/DotnetToolSettings.xml)" || fail "InitLab.Cli has no tools/any/any/DotnetToolSettings.xml"
listed="$(grep -oE 'RuntimeIdentifier="[^"]+" Id="[^"]+"' <<< "$settings" | sed -E 's/RuntimeIdentifier="([^"]+)" Id="([^"]+)"/\1=\2/' | sort | tr '\n' ' ')"
wanted="$(for rid in $tool_rids; do echo "$rid=InitLab.Cli.$rid"; done | sort | tr '\n' ' ')"
[ "$listed" = "$wanted" ] || fail "InitLab.Cli lists RID packages '$listed', expected '$wanted'"

# Each RID package: within the budget; only tools/net10.0/<rid>/ (no other platform's folder, and no runtimes/ folder
# for any other RID); SkiaSharp, HarfBuzzSharp and e_sqlite3 built for that platform, or none in `any`; the fonts once.
for rid in $tool_rids; do
  id="InitLab.Cli.$rid"
  package="$work/feed/$id.$version.nupkg"
  bytes="$(stat -c %s "$package")"
  listing="$(unzip -l "$package")"
  echo "tool package $id: $bytes bytes ($(mb "$bytes")), $(tail -n 1 <<< "$listing" | awk '{ printf "%.1f MB unpacked in %d files", $1 / 1e6, $2 }')"
  [ "$bytes" -le "$max_package_bytes" ] || fail "$id is $bytes bytes, over the budget of $max_package_bytes"
  grep -q '<packageType name="DotnetToolRidPackage"' <<< "$(unzip -p "$package" "$id.nuspec")" || fail "$id is not a DotnetToolRidPackage"
  grep -q 'EntryPoint="InitLab.Cli.dll" Runner="dotnet"' <<< "$(unzip -p "$package" "tools/net10.0/$rid/DotnetToolSettings.xml")" \
    || fail "$id does not run InitLab.Cli.dll with dotnet"
  others="$(awk 'NR > 3 && $4 ~ /^tools\// { print $4 }' <<< "$listing" | grep -v "^tools/net10\.0/$rid/" || true)"
  [ -z "$others" ] || fail "$id holds files outside tools/net10.0/$rid/: $(head -n 3 <<< "$others" | tr '\n' ' ')"
  foreign="$(grep -oE ' tools/.*runtimes/[^/]+/' <<< "$listing" | sed -E 's#.*runtimes/([^/]+)/#\1#' | sort -u | grep -vx "$rid" || true)"
  [ -z "$foreign" ] || fail "$id has runtimes/ folders for other RIDs: $(tr '\n' ' ' <<< "$foreign")"
  natives="$(awk 'NR > 3 { print $4 }' <<< "$listing" | grep -E "/$natives_re" || true)"
  if [ "$rid" = any ]; then
    [ -z "$natives" ] || fail "$id, the fallback without natives, holds $(tr '\n' ' ' <<< "$natives")"
  else
    case "$rid" in win-*) ext=dll; prefix="";; osx-*) ext=dylib; prefix=lib;; *) ext=so; prefix=lib;; esac
    for lib in libSkiaSharp libHarfBuzzSharp "${prefix}e_sqlite3"; do
      grep -qx "tools/net10.0/$rid/$lib.$ext" <<< "$natives" || fail "$id has no tools/net10.0/$rid/$lib.$ext"
    done
    [ "$(wc -l <<< "$natives")" -eq 3 ] || fail "$id holds other native libraries: $(tr '\n' ' ' <<< "$natives")"
    while read -r native; do
      unzip -p "$package" "$native" > "$work/native"
      [[ " $(native_platforms "$work/native" | tr '\n' ' ') " == *" ${rid/linux-musl-/linux-} "* ]] \
        || fail "$id: $native is built for '$(native_platforms "$work/native" | tr '\n' ' ')', not $rid"
    done <<< "$natives"
  fi
  ! grep -qE ' (content|contentFiles)/' <<< "$listing" || fail "$id has content/ or contentFiles/ entries"
  for font in DejaVuSans.ttf DejaVuSans-Bold.ttf; do
    [ "$(grep -cE "/$font\$" <<< "$listing")" -eq 1 ] || fail "$id does not hold $font exactly once"
    grep -qE " tools/net10\.0/$rid/fonts/$font\$" <<< "$listing" || fail "$id lacks fonts/$font"
  done
done

# From here on: a private cache and only the fresh feed plus nuget.org.
export NUGET_PACKAGES="$work/nuget-cache"
mkdir -p "$work/consumer"
cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="fresh" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

step "dotnet tool install InitLab.Cli $version"
(cd "$work/consumer" && dotnet tool install InitLab.Cli --version "$version" --tool-path "$work/tools" \
  --add-source "$work/feed" --configfile "$work/consumer/nuget.config") || fail "tool install"
# `dotnet tool install` must have taken this machine's RID package (`any` on a platform without one).
host_rid="$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')"
want_rid=any
[[ " $tool_rids " == *" $host_rid "* ]] && want_rid="$host_rid"
installed="$(cd "$work/tools/.store/initlab.cli/$version" 2>/dev/null && ls -d initlab.cli.* 2>/dev/null | tr '\n' ' ')"
echo "installed for $host_rid: ${installed% }"
[ "${installed% }" = "initlab.cli.$want_rid" ] || fail "dotnet tool install took '${installed% }' on $host_rid, expected initlab.cli.$want_rid"
printed="$("$work/tools/initlab" --version)" || fail "initlab --version exited non-zero"
echo "initlab --version: $printed"
[[ "$printed" == "$version"* ]] || fail "initlab --version printed '$printed', expected $version"

step "initlab practicals --quick"
"$work/tools/initlab" practicals --quick --out "$work/report" > "$work/practicals.txt" 2>&1 \
  || { tail -n 20 "$work/practicals.txt"; fail "initlab practicals --quick exited non-zero"; }
for f in results.json report.html; do [ -s "$work/report/$f" ] || fail "practicals wrote no $f"; done
grep -q '"matches"' "$work/report/results.json" || fail "results.json has no verdicts"
echo "practicals: $(grep -o '"runs": *[0-9][0-9]*' "$work/report/results.json" | head -n 1), $(grep -o '"matches": *[0-9][0-9]*' "$work/report/results.json" | head -n 1)"

step "console project referencing the InitLab package"
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="InitLab" Version="$version" />
  </ItemGroup>
</Project>
XML
# The README's quick start. Floor 0.95: a linear boundary reaches only about 0.87 on moons with noise 0.1, and the
# 200 held-out points give a standard error of at most 0.016 near 0.95, so passing proves the nonlinear boundary was
# learned; the README measures 1.00 with this recipe, so the floor is ≥ 3 standard errors below what is expected.
cat > "$work/consumer/Program.cs" <<'CS'
using InitLab.Data; using InitLab.Layers; using InitLab.Losses; using InitLab.Optimizers; using InitLab.Training;

var (train, test) = SyntheticData.Moons(1000, noise: 0.1, seed: 1).Split(0.2, seed: 1);
var model = new Sequential(2, [new Dense(32, "relu", "he_normal"), new Dense(32, "relu", "he_normal"), new Dense(1, "sigmoid")], seed: 1);
model.Compile(new BinaryCrossEntropy(), new Adam());
model.Fit(train.Features, train.TargetsFor(model.Loss!, 1), new FitOptions { Epochs = 50, BatchSize = 32 });
Evaluation result = model.Evaluate(test.Features, test.TargetsFor(model.Loss!, 1));
Console.WriteLine($"moons, he_normal, 2-32-32-1: test loss {result.Loss:F4}, test accuracy {result.Accuracy:P2}");
return result.Accuracy >= 0.95 ? 0 : 1;
CS
(cd "$work/consumer" && dotnet run -c Release --configfile "$work/consumer/nuget.config" 2>&1 | tail -n 5; exit "${PIPESTATUS[0]}") \
  || fail "the consumer project failed to build, or test accuracy fell below 0.95"
# The consumer must have resolved InitLab, and through it InitLab.IO and InitLab.Engine, from the fresh feed as packages.
for id in "${libraries[@]}"; do
  lower="${id,,}"
  [ -f "$NUGET_PACKAGES/$lower/$version/$lower.$version.nupkg" ] || fail "$id $version was not restored as a package"
  grep -q '"'"$id/$version"'"' "$work/consumer/obj/project.assets.json" || fail "consumer did not reference the $id package"
done
echo "package test passed"
