#!/usr/bin/env bash
# The scan benchmark in one command: generate (or reuse) a 10,000-file corpus, build certhook in release,
# compile the C floor, then time certhook, the python-cryptography peer, the C floor and an `openssl x509`
# shell loop side by side (3 interleaved rounds, medians), plus certhook's peak RSS on 100,000 files.
# Output: a markdown table on stdout (progress on stderr). Needs python3 with `cryptography`, cc, libssl-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/out/scan
corpus=$out/corpus
big=$out/corpus100k
mkdir -p "$out"

if [ ! -f "$out/corpus.complete" ]; then
  echo "generating the 10,000-file corpus..." >&2
  rm -rf "$corpus" "$big"
  python3 bench/scan/gen_corpus.py "$corpus" 10000
  touch "$out/corpus.complete"
fi
if [ ! -d "$big" ]; then
  echo "making the 100,000-file tree (hard links)..." >&2
  mkdir -p "$big.tmp"
  for copy in 0 1 2 3 4 5 6 7 8 9; do cp -al "$corpus" "$big.tmp/c$copy"; done
  mv "$big.tmp" "$big"
fi

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time for peak RSS..." >&2
  (apt-get install -y time || sudo apt-get install -y time) >&2
fi

echo "building certhook (release)..." >&2
swift build -c release --product certhook >&2
certhook="$(swift build -c release --show-bin-path)/certhook"
cc -O2 -o "$out/floor" bench/scan/floor.c -lcrypto

subset=()
for d in 0 1 2 3 4 5 6 7 8 9; do subset+=("$corpus/d00$d"); done
python3 bench/scan/compare.py --corpus "$corpus" --files 10000 --subset "${subset[@]}" --subset-files 1000 \
  --certhook "$certhook" --floor "$out/floor" --rounds "${ROUNDS:-3}" --big "$big"
