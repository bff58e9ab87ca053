#!/bin/sh
# Makes the certificates docs/quick-start.md deploys, laid out like a certbot lineage:
#   live/example.test/{cert,chain,fullchain,privkey}.pem -> archive/example.test/*N.pem
# for example.test and www.example.test, issued by a throwaway "Quick Start" CA (root + intermediate in
# ca/). Run it once before step 3; run it again with `renew` before step 5 to get the renewed
# certificate (a new key and a later expiry, version N+1, live/ pointing at it), as certbot would.
#
# Usage: sh make-quick-start-certs.sh [renew] [--dir DIR]    (DIR defaults to the current directory)
# Needs: openssl. Test certificates only: never trust the CA it makes.
set -eu
mode=issue
dir=.
while [ $# -gt 0 ]; do
  case $1 in
    renew) mode=renew; shift ;;
    --dir) dir=${2:?--dir needs a directory}; shift 2 ;;
    *) echo "make-quick-start-certs.sh: unknown argument: $1 (usage: [renew] [--dir DIR])" >&2; exit 64 ;;
  esac
done
command -v openssl > /dev/null || { echo "make-quick-start-certs.sh: openssl is not installed" >&2; exit 69; }
mkdir -p "$dir" && cd "$dir"
name=example.test
umask 077

if [ ! -f ca/intermediate.key ]; then
  mkdir -p ca
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/O=certhook quick start/CN=Quick Start Root" -keyout ca/root.key -out ca/root.pem 2> /dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/O=certhook quick start/CN=Quick Start Intermediate" -keyout ca/intermediate.key -out ca/intermediate.csr 2> /dev/null
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca/intermediate.ext
  openssl x509 -req -in ca/intermediate.csr -CA ca/root.pem -CAkey ca/root.key -CAcreateserial -days 3650 \
    -extfile ca/intermediate.ext -out ca/intermediate.pem 2> /dev/null
fi

# The next version number in archive/, as certbot counts them.
version=1
while [ -f "archive/$name/cert$version.pem" ]; do version=$((version + 1)); done
if [ "$mode" = issue ] && [ "$version" -gt 1 ]; then
  echo "make-quick-start-certs.sh: live/$name exists already (version $((version - 1))); pass renew for a new one" >&2
  exit 0
fi
if [ "$mode" = renew ] && [ "$version" -eq 1 ]; then
  echo "make-quick-start-certs.sh: nothing to renew yet; run it without renew first" >&2
  exit 64
fi

# A renewal expires 30 days after the previous one, so the new certificate always supersedes the old.
days=$((60 + 30 * version))
archive="archive/$name"
mkdir -p "$archive" "live/$name"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
  -keyout "$archive/privkey$version.pem.tmp" -out "$archive/leaf$version.csr" 2> /dev/null
openssl pkcs8 -topk8 -nocrypt -in "$archive/privkey$version.pem.tmp" -out "$archive/privkey$version.pem"
rm -f "$archive/privkey$version.pem.tmp"
printf 'subjectAltName=DNS:%s,DNS:www.%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$name" "$name" > "$archive/leaf.ext"
openssl x509 -req -in "$archive/leaf$version.csr" -CA ca/intermediate.pem -CAkey ca/intermediate.key \
  -CAcreateserial -days "$days" -extfile "$archive/leaf.ext" -out "$archive/cert$version.pem" 2> /dev/null
rm -f "$archive/leaf$version.csr" "$archive/leaf.ext"
cp ca/intermediate.pem "$archive/chain$version.pem"
cat "$archive/cert$version.pem" "$archive/chain$version.pem" > "$archive/fullchain$version.pem"
chmod 0644 "$archive/cert$version.pem" "$archive/chain$version.pem" "$archive/fullchain$version.pem"

for file in cert chain fullchain privkey; do
  ln -sfn "../../$archive/$file$version.pem" "live/$name/$file.pem"
done
echo "live/$name: version $version, expires $(openssl x509 -in "live/$name/cert.pem" -noout -enddate | cut -d= -f2)"
