#!/usr/bin/env sh
# acme.sh deploy hook for certhook.
#
# Install:  cp certhook.sh ~/.acme.sh/deploy/certhook.sh
# Use:      acme.sh --deploy -d example.com --deploy-hook certhook
#
# acme.sh calls certhook_deploy with: domain, key path, cert path, CA path, fullchain path.
# Settings, saved per domain by acme.sh when exported before the first deploy:
#   DEPLOY_CERTHOOK_CONFIG   certhook configuration file (default /etc/certhook/config.yaml)
#   DEPLOY_CERTHOOK_BIN      certhook binary (default: certhook on PATH)
# Credentials: /etc/certhook/credentials.env (or CERTHOOK_CREDENTIALS) is read when it exists, as the
# certhook-sync unit reads it; an ECS RAM role needs no file.
# acme.sh saves the next renewal time before deploying and does not retry a failed deploy: keep the
# certhook-sync timer (hooks/systemd) enabled so that a failed deploy is repaired.

certhook_deploy() {
  _cdomain="$1"
  _ckey="$2"
  _ccert="$3"
  _cca="$4"
  _cfullchain="$5"

  _getdeployconf DEPLOY_CERTHOOK_CONFIG 2>/dev/null || true
  _getdeployconf DEPLOY_CERTHOOK_BIN 2>/dev/null || true
  _savedeployconf DEPLOY_CERTHOOK_CONFIG "$DEPLOY_CERTHOOK_CONFIG" 2>/dev/null || true
  _savedeployconf DEPLOY_CERTHOOK_BIN "$DEPLOY_CERTHOOK_BIN" 2>/dev/null || true

  # In a subshell: the credentials file (as the certhook-sync unit reads it) stays out of acme.sh's shell.
  (
    _ccredentials="${CERTHOOK_CREDENTIALS:-/etc/certhook/credentials.env}"
    if [ -r "$_ccredentials" ]; then
      set -a
      . "$_ccredentials"
      set +a
    fi
    "${DEPLOY_CERTHOOK_BIN:-certhook}" deploy-hook \
      --config "${DEPLOY_CERTHOOK_CONFIG:-/etc/certhook/config.yaml}" \
      --acme-sh "$_cdomain" "$_ckey" "$_ccert" "$_cca" "$_cfullchain"
  )
}
