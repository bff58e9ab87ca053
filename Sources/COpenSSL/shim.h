#ifndef CERTHOOK_COPENSSL_SHIM_H
#define CERTHOOK_COPENSSL_SHIM_H

#include <openssl/opensslv.h>
#if OPENSSL_VERSION_MAJOR < 3
#error "certhook needs OpenSSL 3.0 or newer (libssl-dev from Debian 12 or later)"
#endif

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

/* Tiny helpers for OpenSSL macros that Swift cannot import. */
static inline void certhook_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline unsigned long certhook_xn_flag_rfc4514(void) {
  return XN_FLAG_RFC2253 & ~((unsigned long)ASN1_STRFLGS_ESC_MSB);
}
static inline long certhook_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif
