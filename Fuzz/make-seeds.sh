#!/usr/bin/env bash
# Writes the seed inputs of the fuzz corpus (Fuzz/corpus/<target>/seed-*): certificates and keys of every
# kind certhook reads (made with the openssl CLI, throwaway keys that protect nothing) and configuration
# files covering every section of the format. Crashers found by Fuzz/fuzz.sh sit next to them (crash-*,
# timeout-*, oom-*, leak-*). Re-running replaces the seeds; commit the result.
set -euo pipefail
cd "$(dirname "$0")"
C=corpus/certificate K=corpus/private-key Y=corpus/configuration
mkdir -p "$C" "$K" "$Y"
rm -f "$C"/seed-* "$K"/seed-* "$Y"/seed-*
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$t/ca.key" -out "$t/ca.pem" \
  -days 3650 -subj "/C=CN/O=Fuzz CA/CN=Fuzz Root" -addext "basicConstraints=critical,CA:TRUE,pathlen:1" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$t/rsa.key" -out "$t/rsa.csr" -subj "/CN=www.example.com/O=Shop, Inc." 2>/dev/null
printf 'subjectAltName=DNS:www.example.com,DNS:*.example.com,IP:127.0.0.1,IP:::1,email:a@example.com,URI:https://example.com/\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' > "$t/ext"
openssl x509 -req -in "$t/rsa.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 90 -extfile "$t/ext" \
  -out "$t/leaf.pem" 2>/dev/null
openssl req -x509 -newkey ed25519 -nodes -keyout "$t/ed.key" -out "$t/ed.pem" -days 30 -subj "/CN=ed.example" \
  -addext "subjectAltName=DNS:ed.example" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$t/sec1.key"

cp "$t/leaf.pem" "$C/seed-leaf-rsa.pem"
cat "$t/leaf.pem" "$t/ca.pem" > "$C/seed-fullchain.pem"
cat "$t/ca.pem" "$t/leaf.pem" > "$C/seed-wrong-order.pem"
cp "$t/ed.pem" "$C/seed-ed25519.pem"
openssl x509 -in "$t/leaf.pem" -outform DER -out "$C/seed-leaf.der"
cat "$C/seed-leaf.der" <(openssl x509 -in "$t/ca.pem" -outform DER) > "$C/seed-two.der"
openssl x509 -in "$t/ca.pem" -addtrust serverAuth -out "$C/seed-trusted.pem" 2>/dev/null
{ echo "Bag Attributes"; sed 's/$/\r/' "$t/leaf.pem"; cat "$t/rsa.key"; } > "$C/seed-crlf-with-key.pem"

cp "$t/rsa.key" "$K/seed-pkcs8-rsa.pem"
openssl pkey -in "$t/rsa.key" -traditional -out "$K/seed-pkcs1-rsa.pem" 2>/dev/null ||
  openssl rsa -in "$t/rsa.key" -traditional -out "$K/seed-pkcs1-rsa.pem" 2>/dev/null
cp "$t/sec1.key" "$K/seed-sec1-p384.pem"
cp "$t/ed.key" "$K/seed-ed25519.pem"
openssl pkey -in "$t/ca.key" -outform DER -out "$K/seed-pkcs8-p256.der"
openssl pkcs8 -topk8 -in "$t/ca.key" -passout pass:fuzz -out "$K/seed-encrypted.pem" 2>/dev/null
cat "$t/leaf.pem" "$t/sec1.key" > "$K/seed-lego-mixed.pem"

cat > "$Y/seed-minimal.yaml" <<'YAML'
version: 1
region: cn-hangzhou
deployments:
  - name: example
    domains: [example.test, www.example.test]
    targets:
      - listener: lsr-h1-https
      - loadBalancer: alb-h2
YAML
cat > "$Y/seed-full.yaml" <<'YAML'
version: 1
region: cn-zhangjiakou
credentials: {profile: prod}
endpoints: {alb: "http://127.0.0.1:8080", cas: "https://cas.aliyuncs.com"}
rateLimits: {concurrency: 8, writesPerSecond: 20}
timeouts: {job: 2m, hook: 100s, request: 30}
statePath: /tmp/state.json
quotas: {alb-1: 10}
deployments:
  - name: certbot
    source: {certbotLineage: /etc/letsencrypt/live/example.test}
    domains: [example.test, "*.example.test"]
    targets: [{loadBalancer: alb-1, protocols: [https], ports: [443, 8443]}]
    mode: default
    replace: none
  - name: acme
    source: {acmeShDomain: shop.test, home: /root/.acme.sh}
    domains: [shop.test]
    targets: [{listener: lsr-2}]
  - name: files
    source: {cert: /c.pem, key: /k.pem, chain: /ch.pem}
    domains: [files.test]
    targets: [lsr-3]
YAML
cat > "$Y/seed-anchors-and-unknown.yaml" <<'YAML'
version: 1
credentials: &creds
  accessKeyId: LTAI-fuzz
  accessKeySecret: fuzz-secret
  unknown: 1
rate_limits: {concurrency: 1}
state: /var/lib/certhook/s.json
deployments:
  - &d
    name: "a b"
    domains: [a.test]
    targets: [lsr-1, {listener: lsr-2}]
    extra: [1, 2, {x: y}]
  - <<: *d
    name: b
YAML
cat > "$Y/seed-notify.yaml" <<'YAML'
version: 1
deployments:
  - name: www
    domains: [www.example.test]
    targets: [{listener: lsr-1}]
notify:
  timeout: 5s
  retries: 1
  notifiers:
    - {name: ops, kind: webhook, url: "https://hooks.example.test/certhook", secretEnv: CERTHOOK_HOOK_SECRET, onSuccess: true}
    - {kind: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=t", secretFile: /etc/certhook/ding.secret, msgtype: text}
    - {kind: lark, url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", events: [listenerFailed, expiryWarning]}
    - {kind: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
YAML
printf 'version: [1\n' > "$Y/seed-invalid.yaml"
printf '%s\n' '--- !!map' '? version' ': !!int "1"' 'deployments: !!seq []' '...' '---' 'x: y' > "$Y/seed-tags-multidoc.yaml"
ls corpus/* | wc -l
